package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.NativeNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Meters of a stream whose threshold moves: every point counted once against the threshold in force for it. */
class ScoringMetersMovingTest {

    @Test
    void givenPointsJudgedByAMovingThreshold_whenRecorded_thenOutcomesExcessAndGaugeFollowEachPointsThreshold() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Scorer scorer = new Scorer(VaeModel.builder(NativeNetwork.initialize(Architecture.defaults(3), 1)).build());
        ScoringMeters meters = ScoringMeters.moving(scorer, registry);
        meters.recordPoint(1_000, 5.0, Double.NaN); // calibrating without a threshold: timed, not judged
        meters.recordPoint(1_000, 5.0, 4.0);        // anomalous, excess 1
        meters.recordPoint(1_000, 5.0, 6.0);        // normal, excess 0
        meters.recordPoint(1_000, 9.5, 7.0);        // anomalous, excess 2.5
        assertThat(registry.get("vae.score").timer().count()).isEqualTo(4);
        assertThat(registry.get("vae.anomaly.events").tag("result", "anomalous").counter().count()).isEqualTo(2);
        assertThat(registry.get("vae.anomaly.events").tag("result", "normal").counter().count()).isEqualTo(1);
        assertThat(registry.get("vae.anomaly.excess").summary().count()).isEqualTo(3);
        assertThat(registry.get("vae.anomaly.excess").summary().totalAmount()).isEqualTo(3.5);
        assertThat(registry.get("vae.anomaly.threshold").gauge().value()).isEqualTo(7.0);
    }
}
