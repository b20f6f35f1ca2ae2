/**
 * The Vector API kernels ({@code jdk.incubator.vector}): loaded by {@link dev.vae.core.kernel.Simd} only when the
 * JVM runs with that module, so nothing else in the library refers to this package.
 */
@NullMarked
package dev.vae.core.kernel.simd;

import org.jspecify.annotations.NullMarked;
