/**
 * Model persistence: one versioned binary file per model (magic number, format version, SHA-256 checksum,
 * payload), written atomically and verified on load. No Java serialisation. See {@code docs/file-format.md}. The other
 * formats (the anomaly module's stream states) write through {@link dev.vae.core.io.AtomicFiles} and read through
 * {@link dev.vae.core.io.FileBytes} too.
 */
@NullMarked
package dev.vae.core.io;

import org.jspecify.annotations.NullMarked;
