package dev.vae.train.metrics;

import dev.vae.train.EpochStats;
import dev.vae.train.TrainingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TrainingListener} that publishes a training run to a Micrometer {@link MeterRegistry}:
 * <ul>
 *   <li>{@value #EPOCH} (Timer, seconds): one record per epoch, its wall time;</li>
 *   <li>{@value #LOSS}, {@value #RECONSTRUCTION}, {@value #KL} (Gauges, nats per row): the last epoch's mean
 *       training loss (reconstruction + beta * KL), reconstruction term and KL term;</li>
 *   <li>{@value #VALIDATION_LOSS} (Gauge, nats per row): the last epoch's validation negative ELBO at z = mu (NaN
 *       without a validation split);</li>
 *   <li>{@value #ROWS} (Counter, rows): training rows processed, counted batch by batch.</li>
 * </ul>
 * The gauges hold their values strongly, so they keep reporting after the run (for a final scrape or push). A new
 * listener on the same registry and tags replaces the gauges ({@link LatestGauge}): they report the newest run;
 * the timer and the counter are shared and accumulate over runs.
 * Thread-safe.
 */
public final class MicrometerTrainingListener implements TrainingListener {

    /** Timer of epoch wall times. */
    public static final String EPOCH = "vae.train.epoch";
    /** Gauge of the last epoch's mean training loss. */
    public static final String LOSS = "vae.train.loss";
    /** Gauge of the last epoch's mean reconstruction term. */
    public static final String RECONSTRUCTION = "vae.train.reconstruction";
    /** Gauge of the last epoch's mean KL term. */
    public static final String KL = "vae.train.kl";
    /** Gauge of the last epoch's validation loss. */
    public static final String VALIDATION_LOSS = "vae.train.validation.loss";
    /** Counter of training rows processed. */
    public static final String ROWS = "vae.train.rows";
    /** The base unit of the loss gauges. */
    public static final String NATS = "nats";

    private final Timer epochTimer;
    private final Counter rows;
    private final AtomicLong loss = nan();
    private final AtomicLong reconstruction = nan();
    private final AtomicLong kl = nan();
    private final AtomicLong validationLoss = nan();

    /** A listener registering its meters in {@link Metrics#globalRegistry}. */
    public MicrometerTrainingListener() {
        this(Metrics.globalRegistry, Tags.empty());
    }

    /** A listener registering its meters in {@code registry}. */
    public MicrometerTrainingListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** A listener registering its meters in {@code registry} with extra {@code tags} (keep their values bounded). */
    public MicrometerTrainingListener(MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tags, "tags");
        epochTimer = Timer.builder(EPOCH).description("Wall time of one training epoch").tags(tags).register(registry);
        rows = Counter.builder(ROWS).description("Training rows processed").baseUnit("rows").tags(tags)
                .register(registry);
        // Over the rows the gradient minimised: trimmed-loss training leaves some out (EpochStats has the rest).
        gauge(registry, tags, LOSS, "Mean training loss per row of the last epoch (reconstruction + beta * KL), rows"
                + " in the gradient", loss);
        gauge(registry, tags, RECONSTRUCTION, "Mean reconstruction term -log p(x|z) per row of the last epoch, rows in"
                + " the gradient", reconstruction);
        gauge(registry, tags, KL, "Mean KL(q(z|x) || p(z)) per row of the last epoch, rows in the gradient", kl);
        gauge(registry, tags, VALIDATION_LOSS, "Validation negative ELBO per row (z = mu) of the last epoch",
                validationLoss);
    }

    private static AtomicLong nan() {
        return new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    }

    private static void gauge(MeterRegistry registry, Iterable<Tag> tags, String name, String description,
                              AtomicLong holder) {
        LatestGauge.register(registry, name, tags, description, NATS, () -> Double.longBitsToDouble(holder.get()));
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batchRows) {
        rows.increment(batchRows);
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        epochTimer.record(Duration.ofNanos(Math.round(stats.seconds() * 1e9)));
        loss.set(Double.doubleToRawLongBits(stats.loss()));
        reconstruction.set(Double.doubleToRawLongBits(stats.reconstruction()));
        kl.set(Double.doubleToRawLongBits(stats.kl()));
        validationLoss.set(Double.doubleToRawLongBits(stats.validationLoss()));
    }
}
