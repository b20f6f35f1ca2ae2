/**
 * Dense matrix kernels: the one place where the hot numeric loops live.
 *
 * <p>Model code calls {@link dev.vae.core.kernel.MatrixKernels} only, so a faster backend replaces the portable
 * one without touching model code. {@link dev.vae.core.kernel.Kernels#best()} picks the backend once per JVM: the
 * portable {@link dev.vae.core.kernel.JavaKernels} sum each output element in an order that does not depend on
 * the number of rows, so a row's result never depends on the rows batched with it, and they run every forward
 * pass outside training. When OpenBLAS is installed, training steps (which only need the same bits for the same
 * shapes) use it through {@link dev.vae.core.kernel.MatrixKernels#forTraining()}.
 * {@link dev.vae.core.kernel.ColumnKernels} runs the batches of narrow networks in column layout, with the same bits
 * as the row-wise kernels. {@link dev.vae.core.kernel.ElementKernels} (likelihood terms, tanh, the matrix blocks,
 * and exp, log1p and tanh in double) give the same bits scalar or vectorised at any width: one float definition of
 * each function ({@link dev.vae.core.kernel.FloatMath}), a fixed count of logical lanes in every row sum, and the
 * double ones fdlibm's operations lane by lane. {@link dev.vae.core.kernel.Transcendentals} holds double tanh and
 * log1p on {@code StrictMath} for values computed once, and the tanh the double kernel reproduces. {@link dev.vae.core.kernel.RowParallel} splits big row-wise jobs across cores without changing any bit.
 */
@NullMarked
package dev.vae.core.kernel;

import org.jspecify.annotations.NullMarked;
