package dev.vae.bench;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.ModelType;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.train.EpochStats;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The project's workloads, measured through the public API (the same code paths as {@code vae train/score}). */
final class Workloads {

    private Workloads() {
    }

    /** Training throughput: the median rows/s of the epochs after the first (JIT warm-up), and the model. */
    record Training(double rowsPerSecond, double firstEpochRowsPerSecond, double[] epochRowsPerSecond,
                    double finalLoss, TrainingResult result) {
    }

    /** Scoring throughput at one batch size, and per-call latency percentiles (microseconds). */
    record Scoring(int batch, double rowsPerSecond, double p50Micros, double p99Micros, long calls) {
    }

    /**
     * Trains with batch 128, Adam (lr 1e-3), ReLU, no validation split and no trimming (as the peer), for
     * {@code epochs} epochs, on the trainer's default number of threads (data-parallel shards of each minibatch, at
     * most 2).
     */
    static Training train(Table data, List<Integer> hidden, int latent, String likelihood, int epochs, long seed) {
        TrainingConfig config = TrainingConfig.builder().hidden(hidden).latent(latent)
                .likelihood(Likelihoods.parse(likelihood)).modelType(ModelType.VAE).activation(Activation.RELU)
                .epochs(epochs).batchSize(128).learningRate(1e-3).beta(1.0).seed(seed).validationFraction(0.0)
                .patience(0).trimFraction(0).build();
        TrainingResult result = new VaeTrainer(config).fit(data);
        List<EpochStats> history = result.history();
        double[] all = new double[history.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = history.get(i).rowsPerSecond();
        }
        double[] after = history.size() > 1 ? java.util.Arrays.copyOfRange(all, 1, all.length) : all;
        return new Training(Stats.median(after), all[0], all, history.get(history.size() - 1).loss(), result);
    }

    /**
     * Scores {@code rows} raw rows in batches of {@code batch} for at least {@code minSeconds} (after a warm-up of
     * the same length), timing every call.
     */
    static Scoring score(Scorer scorer, float[] raw, int rows, int width, int batch, double minSeconds) {
        int batches = Math.max(1, rows / batch);
        float[] source = raw;
        if (rows < batch) {
            // Repeat the data so that one batch fits.
            source = new float[batch * width];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(raw, (i % rows) * width, source, i * width, width);
            }
            batches = 1;
        }
        double[] out = new double[batch];
        run(scorer, source, width, batch, batches, out, minSeconds, null);
        List<Long> lat = new ArrayList<>();
        long t0 = System.nanoTime();
        long calls = run(scorer, source, width, batch, batches, out, minSeconds, lat);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] micros = new double[lat.size()];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = lat.get(i) / 1e3;
        }
        return new Scoring(batch, calls * (double) batch / seconds, Stats.percentile(micros, 50),
                Stats.percentile(micros, 99), calls);
    }

    private static long run(Scorer scorer, float[] source, int width, int batch, int batches, double[] out,
                            double minSeconds, List<Long> latencies) {
        long end = System.nanoTime() + (long) (minSeconds * 1e9);
        long calls = 0;
        while (System.nanoTime() < end || calls < 100) {
            int b = (int) (calls % batches);
            long s = System.nanoTime();
            scorer.score(source, b * batch, batch, out, 0);
            long e = System.nanoTime();
            if (latencies != null && latencies.size() < 2_000_000) {
                latencies.add(e - s);
            }
            calls++;
        }
        return calls;
    }

    /**
     * Synthetic tabular rows built like the PyTorch peer's {@code synthetic_tabular}: non-linear low-rank data
     * {@code x = zA + 0.5 sin(2 zB) + 0.1 noise}, {@code z ~ N(0, I_k)}, {@code k = d / 5}. Same recipe, not the
     * same random numbers (NumPy's generator is not reproduced).
     */
    static Table syntheticTabular(int rows, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = Math.max(2, d / 5);
        double[][] a = new double[k][d];
        double[][] b = new double[k][d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = r.nextGaussian() / Math.sqrt(k);
                b[i][j] = r.nextGaussian() / Math.sqrt(k);
            }
        }
        double[][] x = new double[rows][d];
        double[] z = new double[k];
        for (int n = 0; n < rows; n++) {
            for (int i = 0; i < k; i++) {
                z[i] = r.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double lin = 0;
                double non = 0;
                for (int i = 0; i < k; i++) {
                    lin += z[i] * a[i][j];
                    non += z[i] * b[i][j];
                }
                x[n][j] = lin + 0.5 * Math.sin(2.0 * non) + 0.1 * r.nextGaussian();
            }
        }
        List<String> cols = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            cols.add("f" + j);
        }
        return Table.of(cols, x, null);
    }
}
