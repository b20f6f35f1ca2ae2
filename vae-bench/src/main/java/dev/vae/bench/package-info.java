/**
 * Benchmarks of the project's workloads, run back to back with the PyTorch peer and ONNX Runtime on the same
 * machine so that the printed ratios mean something on a shared, noisy host.
 *
 * <p>{@link dev.vae.bench.Main} runs the end-to-end workloads (MNIST and tabular training rows/s through the real
 * trainer, scoring rows/s at several batch sizes, single-row latency, peak memory) and the peer script;
 * {@link dev.vae.bench.KernelBenchmarks} holds the JMH benchmarks of the kernels and of single-row latency.
 * Detection quality (AUROC and AUPRC beside baseline detectors) is {@link dev.vae.bench.quality.Suite}'s, in its
 * own package. Nothing here is published: it is a tool for the project's own measurements.
 */
@NullMarked
package dev.vae.bench;

import org.jspecify.annotations.NullMarked;
