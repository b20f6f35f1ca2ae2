/**
 * Data loading: CSV and gzipped CSV with a header row, read strictly (a bad cell is an error naming the file,
 * line and column, never silently dropped), in memory as a {@link dev.vae.core.data.Table} or streamed in
 * chunks for files larger than memory.
 */
@NullMarked
package dev.vae.core.data;

import org.jspecify.annotations.NullMarked;
