/**
 * Dense matrix kernels: the one place where the hot numeric loops live.
 *
 * <p>Model code calls {@link dev.vae.core.kernel.MatrixKernels} only, so a faster backend (a native BLAS,
 * a vectorised kernel) replaces the portable one without touching model code. Every kernel must sum each
 * output element in an order that does not depend on the number of rows, so a row's result never depends on
 * the rows batched with it.
 */
@NullMarked
package dev.vae.core.kernel;

import org.jspecify.annotations.NullMarked;
