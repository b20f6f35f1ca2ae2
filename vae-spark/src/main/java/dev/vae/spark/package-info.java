/**
 * Apache Spark integration: score and fit VAE anomaly detectors on Spark {@code Dataset<Row>}s with the same
 * model file as everywhere else, bit for bit.
 *
 * <p>{@link dev.vae.spark.VaeTransformer} is a Spark ML {@code Model} (so a {@code Transformer}) that adds a
 * {@code score} column (nats, higher = more anomalous), an {@code is_anomaly} column and, on request, the latent
 * means. The model travels to the executors as its file's bytes in one broadcast, is parsed once per executor
 * JVM (cached by the SHA-256 of those bytes) and shared by that JVM's tasks, and rows are scored a partition at a
 * time in batches through the fast kernels of {@code vae-core}. {@link dev.vae.spark.VaeEstimator} trains on a
 * bounded, seeded sample drawn to the driver: training is single-machine. {@link dev.vae.spark.ScoreMain} is the
 * {@code spark-submit} entry point of the shaded {@code vae-spark.jar}.
 */
@NullMarked
package dev.vae.spark;

import org.jspecify.annotations.NullMarked;
