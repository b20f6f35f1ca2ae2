package dev.vae.train.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.function.Supplier;

/**
 * Registers a gauge that replaces any gauge of the same name and tags, so that the registry reports the newest
 * instance's value. Micrometer's {@code Gauge.Builder.register} returns the gauge already registered under that id
 * and ignores the new state: a second detector (with a new threshold) or a second training run on the same registry
 * would keep reporting the first one's value.
 *
 * <p>Counters and timers need no such care: sharing one across instances accumulates, which is what they mean.
 */
public final class LatestGauge {

    private LatestGauge() {
    }

    /**
     * Registers a gauge reading {@code value} (held strongly, so it reports for as long as the registry lives) in
     * {@code registry}, first removing the gauge registered under the same name and tags, if any. Gauges of the same
     * name with other tags stay. When two instances register at the same moment, one of the two stays in place.
     *
     * @return the registered gauge
     */
    public static Gauge register(MeterRegistry registry, String name, Iterable<Tag> tags, String description,
                                 String baseUnit, Supplier<Number> value) {
        // A meter id is equal to another of the same name and tags; the pre-filter id is the one built here, before
        // common tags or other meter filters change it, so this removes exactly the gauge that the builder would return.
        registry.removeByPreFilterId(new Meter.Id(name, Tags.of(tags), baseUnit, description, Meter.Type.GAUGE));
        return Gauge.builder(name, value).tags(tags).description(description).baseUnit(baseUnit).strongReference(true)
                .register(registry);
    }
}
