package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.Detector;
import dev.vae.core.nn.Architecture;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.anomaly.threshold.Quantiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one chunked loop of the scoring front ends: rows on either side of a chunk boundary score as the in-memory
 * scorer scores them, and meters count every row once.
 */
class CsvScoringChunksTest {

    private static final int D = 3;
    private static final int CHUNK = CsvScoring.CHUNK;

    @TempDir
    Path dir;

    /** A small untrained model: its scores are arbitrary but deterministic, which is all the loop needs. */
    private static VaeModel model() {
        return VaeModel.builder(NativeNetwork.initialize(Architecture.defaults(D), 11)).seed(5).build();
    }

    /** Rows of finite floats with labels; written by Float.toString, so the reader gives back the same floats. */
    private record Rows(float[] values, int[] labels) {
        int count() {
            return labels.length;
        }
    }

    private static Rows rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * D];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                x[i * D + j] = (float) (r.nextGaussian() * (1 + j));
            }
            labels[i] = r.nextInt(10) == 0 ? 1 : 0;
        }
        return new Rows(x, labels);
    }

    /** Columns in another order than the model's, with an id column the scorer must ignore. */
    private Path write(Rows rows) throws IOException {
        Path csv = dir.resolve("rows-" + rows.count() + ".csv");
        try (Writer w = Files.newBufferedWriter(csv)) {
            w.write("x2,id,label,x0,x1\n");
            for (int i = 0; i < rows.count(); i++) {
                float[] x = rows.values();
                w.write(x[i * D + 2] + ",row" + i + "," + rows.labels()[i] + "," + x[i * D] + "," + x[i * D + 1] + "\n");
            }
        }
        return csv;
    }

    private static CsvReader open(Path csv, VaeModel model, String label) throws IOException {
        return CsvReader.open(csv, CsvOptions.forColumns(model.featureNames(), label));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 1})
    void givenRowsAroundChunkBoundaries_whenStreamed_thenScoresBreakdownsAndLabelsEqualTheInMemoryScorersBitForBit(
            int n) throws Exception {
        Rows rows = rows(n, n);
        Path csv = write(rows);
        // Sampled scores: each row's noise comes from its own values, so a chunk boundary must not move it.
        Scorer scorer = new Scorer(model(), new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 2));
        double[] expected = scorer.score(rows.values(), n);
        ScoreBreakdown expectedParts = scorer.explain(rows.values(), n);

        for (boolean breakdown : new boolean[] {false, true}) {
            double[] streamed = new double[n];
            double[] reconstruction = new double[n];
            double[] contributions = new double[n * D];
            int[] labels = new int[n];
            List<Integer> chunkSizes = new ArrayList<>();
            long[] next = {0};
            long count;
            try (CsvReader reader = open(csv, scorer.model(), "label")) {
                count = CsvScoring.score(reader, scorer, breakdown, null, (first, k, scores, l, parts) -> {
                    assertThat(first).as("chunks arrive in order, without gaps").isEqualTo(next[0]);
                    assertThat(parts == null).isEqualTo(!breakdown);
                    chunkSizes.add(k);
                    System.arraycopy(scores, 0, streamed, (int) first, k);
                    System.arraycopy(l, 0, labels, (int) first, k);
                    if (parts != null) {
                        System.arraycopy(parts.reconstruction(), 0, reconstruction, (int) first, k);
                        System.arraycopy(parts.featureContributions(), 0, contributions, (int) first * D, k * D);
                    }
                    next[0] += k;
                });
            }
            assertThat(count).isEqualTo(n);
            assertThat(chunkSizes).allSatisfy(k -> assertThat(k).isBetween(1, CHUNK));
            assertThat(chunkSizes).hasSize((n + CHUNK - 1) / CHUNK);
            assertThat(streamed).as("breakdown " + breakdown).containsExactly(expected);
            assertThat(labels).containsExactly(rows.labels());
            if (breakdown) {
                assertThat(reconstruction).containsExactly(expectedParts.reconstruction());
                assertThat(contributions).containsExactly(expectedParts.featureContributions());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, CHUNK, CHUNK + 1})
    void givenRowsAroundChunkBoundaries_whenReadInChunks_thenEachChunkHoldsExactlyItsRows(int n) throws Exception {
        Rows rows = rows(n, 3 * n);
        Path csv = write(rows);
        float[] read = new float[n * D];
        long count;
        try (CsvReader reader = CsvReader.open(csv, CsvOptions.forColumns(List.of("x0", "x1", "x2"), null))) {
            count = CsvScoring.forEachChunk(reader, (first, k, x, labels) -> {
                assertThat(labels).as("no label column read").isNull();
                assertThat(x).as("exactly the chunk's rows").hasSize(k * D);
                System.arraycopy(x, 0, read, (int) first * D, k * D);
            });
        }
        assertThat(count).isEqualTo(n);
        assertThat(read).containsExactly(rows.values());
    }

    @Test
    void givenAHeaderOnlyFile_whenStreamed_thenNoChunkAndZeroRows() throws Exception {
        Path csv = dir.resolve("empty.csv");
        Files.writeString(csv, "x0,x1,x2\n");
        Scorer scorer = new Scorer(model());
        try (CsvReader reader = open(csv, scorer.model(), null)) {
            long count = CsvScoring.score(reader, scorer, false, null, (first, k, scores, l, parts) -> {
                throw new AssertionError("no chunk expected");
            });
            assertThat(count).isZero();
        }
    }

    @Test
    void givenMetersWithAThreshold_whenStreamedWithAndWithoutBreakdown_thenEveryRowIsCountedOnceAndEachChunkTimedOnce()
            throws Exception {
        int n = 2 * CHUNK + 1;
        Rows rows = rows(n, 17);
        Path csv = write(rows);
        Scorer scorer = new Scorer(model());
        double[] scores = scorer.score(rows.values(), n);
        double t = Quantiles.quantile(scores, 0.9);
        Threshold threshold = new Threshold(t, "fixed:" + t, "test", scorer.settings());
        long anomalous = Arrays.stream(scores).filter(s -> s > t).count();
        double excess = Arrays.stream(scores).map(s -> Math.max(0, s - t)).sum();

        for (boolean breakdown : new boolean[] {false, true}) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ScoringMeters meters = new ScoringMeters(scorer, threshold, registry);
            try (CsvReader reader = open(csv, scorer.model(), null)) {
                CsvScoring.score(reader, scorer, breakdown, meters, (first, k, s, l, parts) -> { });
            }
            assertThat(registry.get("vae.score").tag("backend", "native").timer().count()).isEqualTo(3);
            assertThat(registry.get("vae.anomaly.events").tag("result", "anomalous").counter().count())
                    .isEqualTo(anomalous);
            assertThat(registry.get("vae.anomaly.events").tag("result", "normal").counter().count())
                    .isEqualTo(n - anomalous);
            assertThat(registry.get("vae.anomaly.excess").summary().count()).isEqualTo(n);
            assertThat(registry.get("vae.anomaly.excess").summary().totalAmount())
                    .isCloseTo(excess, within(1e-9 * (1 + excess)));
            assertThat(registry.get("vae.anomaly.threshold").gauge().value()).isEqualTo(t);
        }
    }

    @Test
    void givenMetersWithoutAThreshold_whenStreamed_thenOnlyTheTimerIsRegistered() throws Exception {
        Rows rows = rows(CHUNK + 1, 23);
        Path csv = write(rows);
        Scorer scorer = new Scorer(model());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CsvReader reader = open(csv, scorer.model(), null)) {
            CsvScoring.score(reader, scorer, false, new ScoringMeters(scorer, null, registry), (f, k, s, l, p) -> { });
        }
        assertThat(registry.get("vae.score").timer().count()).isEqualTo(2);
        assertThat(registry.getMeters()).hasSize(1);
    }

    @Test
    void givenADetectorAndAStreamOnOneRegistry_whenBothScore_thenTheyShareOneSetOfMeters() throws Exception {
        Rows rows = rows(100, 29);
        Path csv = write(rows);
        Scorer scorer = new Scorer(model());
        Threshold threshold = new Threshold(0.0, "fixed:0.0", "test", scorer.settings());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Detector detector = new Detector(scorer, threshold, registry);
        int before = registry.getMeters().size();
        try (CsvReader reader = open(csv, scorer.model(), null)) {
            CsvScoring.score(reader, scorer, false, new ScoringMeters(scorer, threshold, registry), (f, k, s, l, p) -> { });
        }
        detector.score(Arrays.copyOf(rows.values(), 10 * D), 10);

        assertThat(registry.getMeters()).as("the same names, tags and types: no new meter").hasSize(before);
        assertThat(registry.get("vae.score").timer().count()).isEqualTo(2);
        assertThat(registry.get("vae.anomaly.events").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(110);
        assertThat(registry.get("vae.anomaly.excess").summary().count()).isEqualTo(110);
    }

    @Test
    void givenAReaderOfOtherColumns_whenScored_thenRefusedNamingBoth() throws Exception {
        Path csv = write(rows(5, 31));
        Scorer scorer = new Scorer(model());
        try (CsvReader reader = CsvReader.open(csv, CsvOptions.forColumns(List.of("x1", "x0", "x2"), null))) {
            assertThatThrownBy(() -> CsvScoring.score(reader, scorer, false, null, (f, k, s, l, p) -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[x1, x0, x2]").hasMessageContaining("[x0, x1, x2]");
        }
    }

    @Test
    void givenAThresholdOnAnotherScore_whenMetersAreMade_thenRefused() {
        Scorer scorer = new Scorer(model(), new ScoreSettings(ScoreKind.RECONSTRUCTION, 0));
        Threshold onElbo = new Threshold(1.0, "fixed:1.0", "test", ScoreSettings.defaults());
        assertThatThrownBy(() -> new ScoringMeters(scorer, onElbo, new SimpleMeterRegistry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconstruction at z = mu");
    }
}
