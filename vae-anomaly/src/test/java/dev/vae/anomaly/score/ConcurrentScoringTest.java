package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.nn.Architecture;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One model, one shared {@link Scorer}, 16 threads scoring the whole shuttle data set at once, each in its own batch
 * sizes and its own row order: every score must equal the single-threaded score bit for bit (SPEC section 3:
 * deterministic whatever the batch, the thread count or the order of rows).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang (deadlock) detector only
class ConcurrentScoringTest {

    private static final int THREADS = 16;

    private static VaeModel shuttleModel(Table t) {
        // Untrained weights are as good as trained ones for determinism, and take no time to make.
        Architecture a = Architecture.defaults(t.width());
        return VaeModel.builder(NativeNetwork.initialize(a, 17))
                .scaler(Scaler.fit(ScalingKind.STANDARDIZE, t.values(), t.rows(), t.width()))
                .featureNames(t.columns())
                .seed(2026)
                .build();
    }

    /** Scores every row from 16 threads and returns how many rows were compared. */
    private static long scoreConcurrently(Scorer scorer, float[] raw, int rows, int d) throws Exception {
        double[] expected = new double[rows];
        scorer.score(raw, 0, rows, expected, 0);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int batch = 1 + (t * 389) % 700; // 1, 390, 79, ...: a different batching per thread
                int firstRow = (int) ((long) t * rows / THREADS); // and a different starting row, wrapping round
                results.add(pool.submit(() -> {
                    start.await();
                    double[] out = new double[rows];
                    for (int done = 0; done < rows; ) {
                        int from = (firstRow + done) % rows;
                        int n = Math.min(batch, Math.min(rows - done, rows - from));
                        scorer.score(raw, from, n, out, from);
                        done += n;
                    }
                    return out;
                }));
            }
            start.countDown();
            for (int t = 0; t < THREADS; t++) {
                double[] got = results.get(t).get();
                for (int i = 0; i < rows; i++) {
                    if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(expected[i])) {
                        throw new AssertionError("thread " + t + ", row " + i + ": " + got[i] + " != " + expected[i]);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
        assertThat(Arrays.stream(expected).allMatch(Double::isFinite)).isTrue();
        return (long) THREADS * rows;
    }

    @Test
    void givenOneModelScoredFrom16ThreadsAtOnce_whenComparedWithOneThread_thenEveryScoreIsBitForBitEqual()
            throws Exception {
        Table t = CsvReader.read(SharedData.require("data/shuttle/shuttle.csv"), CsvOptions.withLabel("label", Set.of()));
        VaeModel model = shuttleModel(t);
        long deterministic = scoreConcurrently(new Scorer(model, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0)),
                t.values(), t.rows(), t.width());
        // Sampled scores draw per-row noise: a thread-unsafe or order-dependent generator would show here.
        int sampledRows = 10_000;
        long sampled = scoreConcurrently(new Scorer(model, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 3)),
                Arrays.copyOf(t.values(), sampledRows * t.width()), sampledRows, t.width());
        System.out.printf("ConcurrentScoringTest: %d threads; %d rows deterministic (%d row scores), %d rows with 3 "
                + "samples (%d row scores): all bit for bit equal to one thread%n", THREADS, t.rows(), deterministic,
                sampledRows, sampled);
        assertThat(t.rows()).isEqualTo(49_097);
    }
}
