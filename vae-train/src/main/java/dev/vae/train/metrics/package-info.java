/**
 * Training meters: {@link dev.vae.train.metrics.MicrometerTrainingListener} publishes a run's progress to any
 * Micrometer {@code MeterRegistry} (SPEC section 8): the epoch timer, the loss terms in nats and the rows counter,
 * so a dashboard or a Prometheus push gateway shows what the trainer's history holds.
 */
@NullMarked
package dev.vae.train.metrics;

import org.jspecify.annotations.NullMarked;
