package dev.vae.bench.quality;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.threshold.Quantiles;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.nn.ElboPass;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Many per-row scores from one trained model: for each (set, seed) of the suite, one model is trained by the suite's
 * protocol ({@link Protocol}: the same rows, scaling, dequantisation, subset and seed) and its test rows are scored
 * in every way of {@link #SCORES}, each written as a suite run of candidate {@code SPEC|score} (e.g.
 * {@code defaults|rec}), so that {@code Suite --from-csv} reports them side by side. It exists to measure a score
 * correction without retraining: every score sees the same model, so their differences are the scores' alone.
 *
 * <pre>
 * ScoreVariants [--candidate defaults] [--sets all|held-out|all+held-out|spam,cells] [--seeds 5] [--jobs 2]
 *               [--shared ../shared] [--heldout vae-bench/heldout] [--csv variants.csv]
 * </pre>
 *
 * Every term is at z = mu (no latent draw); nll_j(x) is feature j's -log p(x_j|z = mu) in nats, x in model space.
 * The scores, higher = more anomalous:
 * <ul>
 *   <li>{@code elbo}: sum_j nll_j(x) + KL(q(z|x) || N(0, I)), nats: the negative ELBO at z = mu, the model's own
 *       score under the default score settings ({@code Scorer}'s, bit for bit);</li>
 *   <li>{@code rec}: sum_j nll_j(x), nats: the reconstruction term alone;</li>
 *   <li>{@code excess}: sum_j (nll_j(x) - nll_j(m)), m the decoder's mean, nats: the negative log-likelihood ratio of
 *       x against the decoder's own best row, which removes the part of nll that is the predicted spread (a
 *       complexity correction: a row the decoder is unsure of is not anomalous for that alone);</li>
 *   <li>{@code excess+kl}: excess + KL, nats;</li>
 *   <li>{@code mse}: sum_j (x_j - m_j)^2, squared model-space units;</li>
 *   <li>{@code fz}: sum_j (nll_j(x) - median_j) / IQR_j, median and interquartile range (type 7) of feature j's
 *       nll over the training rows, the IQR floored at {@link #IQR_FLOOR}: robust z-units, each feature on its own
 *       scale;</li>
 *   <li>{@code fz+kl}: fz + KL (robust z-units plus nats: a heuristic sum);</li>
 *   <li>{@code tail}: sum_j -log((1 + #{training rows r with nll_j(r) >= nll_j(x)}) / (n + 1)), n the training rows,
 *       nats: each feature's empirical surprisal, rank-based, so no feature's scale dominates;</li>
 *   <li>{@code tail+kl}: tail + KL, nats.</li>
 * </ul>
 * The training-row statistics (median, IQR, the tail counts) are of the rows the model was trained on, labels
 * unseen, as the protocol trains. docs/quality-suite.md.
 */
public final class ScoreVariants {

    /** The scores, in report order. */
    public static final List<String> SCORES = List.of("elbo", "rec", "excess", "excess+kl", "mse", "fz", "fz+kl",
            "tail", "tail+kl");

    /** The least interquartile range of a feature's nll in {@code fz}: a feature that barely varies gets this. */
    public static final double IQR_FLOOR = 1e-3;

    /** Rows per forward pass, as the Scorer batches them. */
    private static final int CHUNK = 256;

    private ScoreVariants() {
    }

    /**
     * The per-row terms of a table's rows under one model, at z = mu, row-major where per feature.
     *
     * @param rows             the rows
     * @param features         the features d
     * @param reconstruction   per row, -log p(x|z = mu) in nats (the {@code ElboPass}'s whole-row value)
     * @param kl               per row, KL(q(z|x) || N(0, I)) in nats
     * @param featureNll       rows x d, nll_j(x) in nats
     * @param featureNllAtMean rows x d, nll_j(m) of the decoder's mean m under the same decode, in nats
     * @param squaredError     per row, sum_j (x_j - m_j)^2 in squared model-space units
     */
    public record Terms(int rows, int features, double[] reconstruction, double[] kl, double[] featureNll,
                        double[] featureNllAtMean, double[] squaredError) {

        /** Validates the lengths. */
        public Terms {
            if (reconstruction.length != rows || kl.length != rows || squaredError.length != rows
                    || featureNll.length != (long) rows * features || featureNllAtMean.length != (long) rows * features) {
                throw new IllegalArgumentException("Terms of " + rows + " rows x " + features + " features: got "
                        + reconstruction.length + " reconstruction, " + kl.length + " KL, " + squaredError.length
                        + " squared-error, " + featureNll.length + " and " + featureNllAtMean.length + " feature terms");
            }
        }

        /**
         * The terms of {@code t}'s rows (raw values, scaled by the model's scaler as the Scorer does) under
         * {@code model}.
         *
         * @throws IllegalArgumentException when {@code t}'s width is not the model's
         */
        public static Terms of(VaeModel model, Table t) {
            int n = t.rows();
            int d = model.inputDim();
            if (t.width() != d) {
                throw new IllegalArgumentException("Rows of " + t.source() + " have " + t.width() + " columns, the"
                        + " model " + d);
            }
            float[] x = model.toModelSpace(t.values(), n);
            ElboPass pass = ElboPass.of(model.network());
            double[] reconstruction = new double[n];
            double[] kl = new double[n];
            double[] featureNll = new double[n * d];
            double[] featureNllAtMean = new double[n * d];
            double[] squaredError = new double[n];
            float[] mean = new float[d];
            for (int start = 0; start < n; start += CHUNK) {
                int rows = Math.min(CHUNK, n - start);
                pass.encode(x, start * d, rows);
                pass.decodeMean();
                for (int i = 0; i < rows; i++) {
                    int row = start + i;
                    reconstruction[row] = pass.reconstruction(i);
                    kl[row] = pass.kl(i);
                    pass.featureReconstruction(i, featureNll, row * d);
                    pass.decoderMean(i, mean, 0);
                    pass.featureReconstruction(i, mean, 0, featureNllAtMean, row * d);
                    double sq = 0;
                    for (int j = 0; j < d; j++) {
                        double e = (double) x[row * d + j] - mean[j];
                        sq += e * e;
                    }
                    squaredError[row] = sq;
                }
            }
            return new Terms(n, d, reconstruction, kl, featureNll, featureNllAtMean, squaredError);
        }
    }

    /**
     * One model trained by the suite's protocol, with the rows as the model sees them.
     *
     * @param model        the trained model
     * @param train        the rows it was trained on (subset, dequantised and scaled as the candidate says), no labels
     * @param test         the test rows, scaled as the candidate says, no labels
     * @param truth        the test rows' labels, for the metrics alone
     * @param training     the trainer's result (epochs, kept epoch)
     * @param trainSeconds wall-clock seconds of training
     */
    public record TrainedRun(VaeModel model, Table train, Table test, int[] truth, TrainingResult training,
                             double trainSeconds) {
    }

    /**
     * Trains {@code candidate}'s one model on {@code train} as {@link Protocol#run} does (the same subset, scaling,
     * dequantisation noise and trainer seed), and prepares {@code test} the same way.
     *
     * @throws IllegalArgumentException when the candidate trains more than one model ({@code ens=}, {@code mix=}) or
     *                                  the test rows have no labels
     */
    public static TrainedRun train(Candidate candidate, Table train, Table test, int seed) {
        OneModelRuns.requireOneModel("ScoreVariants", candidate);
        Protocol.Prepared rows = Protocol.prepare(candidate, test.source(), train, test, seed);
        Table unlabelled = rows.train();
        Table testRows = rows.test();
        int[] truth = rows.truth();
        long t0 = System.nanoTime();
        TrainingResult result = new VaeTrainer(candidate.members(seed, unlabelled).get(0))
                .fit(unlabelled);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new TrainedRun(result.model(), unlabelled, testRows, truth, result, seconds);
    }

    /**
     * Every score of {@link #SCORES} for {@code test}'s rows, with the training statistics of {@code train}'s rows.
     *
     * @return score name to one value per test row, in {@link #SCORES} order
     */
    public static Map<String, double[]> scores(VaeModel model, Table train, Table test) {
        return scores(Terms.of(model, train), Terms.of(model, test));
    }

    /**
     * Every score of {@link #SCORES} from the terms of the training and the test rows (see the class documentation).
     *
     * @return score name to one value per test row, in {@link #SCORES} order
     * @throws IllegalArgumentException when the two have different widths
     */
    public static Map<String, double[]> scores(Terms train, Terms test) {
        if (train.features() != test.features()) {
            throw new IllegalArgumentException("Training terms have " + train.features() + " features, test terms "
                    + test.features());
        }
        int n = test.rows();
        int d = test.features();
        double[] fz = robustZ(train.featureNll(), train.rows(), test.featureNll(), n, d);
        double[] tail = tailSurprisal(train.featureNll(), train.rows(), test.featureNll(), n, d);
        double[] excess = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                excess[i] += test.featureNll()[i * d + j] - test.featureNllAtMean()[i * d + j];
            }
        }
        double[] kl = test.kl();
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("elbo", plus(test.reconstruction(), kl));
        out.put("rec", test.reconstruction().clone());
        out.put("excess", excess);
        out.put("excess+kl", plus(excess, kl));
        out.put("mse", test.squaredError().clone());
        out.put("fz", fz);
        out.put("fz+kl", plus(fz, kl));
        out.put("tail", tail);
        out.put("tail+kl", plus(tail, kl));
        return out;
    }

    /**
     * Per row, sum_j (nll_j - median_j) / max(IQR_j, {@link #IQR_FLOOR}), median and IQR (type 7 quantiles) of
     * column j of {@code trainNll}.
     *
     * @param trainNll  trainRows x d per-feature terms of the training rows
     * @param trainRows the training rows (at least one)
     * @param nll       rows x d per-feature terms of the rows to score
     * @param rows      the rows to score
     * @param d         the features
     * @return one value per row, in robust z-units
     */
    public static double[] robustZ(double[] trainNll, int trainRows, double[] nll, int rows, int d) {
        checkShapes(trainNll, trainRows, nll, rows, d);
        double[] median = new double[d];
        double[] iqr = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = column(trainNll, trainRows, d, j);
            median[j] = Quantiles.quantile(col, 0.5);
            iqr[j] = Math.max(Quantiles.quantile(col, 0.75) - Quantiles.quantile(col, 0.25), IQR_FLOOR);
        }
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                out[i] += (nll[i * d + j] - median[j]) / iqr[j];
            }
        }
        return out;
    }

    /**
     * Per row, sum_j -log((1 + c_j) / (n + 1)), c_j the rows of column j of {@code trainNll} at or above the row's
     * nll_j and n = {@code trainRows}: each feature's empirical surprisal, 0 below every training row (c = n), at most
     * log(n + 1) above them all (c = 0).
     *
     * @param trainNll  trainRows x d per-feature terms of the training rows
     * @param trainRows the training rows (at least one)
     * @param nll       rows x d per-feature terms of the rows to score
     * @param rows      the rows to score
     * @param d         the features
     * @return one value per row, in nats
     */
    public static double[] tailSurprisal(double[] trainNll, int trainRows, double[] nll, int rows, int d) {
        checkShapes(trainNll, trainRows, nll, rows, d);
        double[][] sorted = new double[d][];
        for (int j = 0; j < d; j++) {
            sorted[j] = column(trainNll, trainRows, d, j);
            Arrays.sort(sorted[j]);
        }
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                int atOrAbove = trainRows - firstAtOrAbove(sorted[j], nll[i * d + j]);
                out[i] += -Math.log((1.0 + atOrAbove) / (trainRows + 1.0));
            }
        }
        return out;
    }

    /**
     * Trains {@code candidate} once on {@code train} and evaluates every score on {@code test}: one result per score,
     * in {@link #SCORES} order, named {@code candidate|score}, with the one model's epochs and training seconds.
     */
    public static List<RunResult> run(Candidate candidate, String set, Table train, Table test, int seed) {
        TrainedRun t = train(candidate, train, test, seed);
        Map<String, double[]> scores = scores(t.model(), t.train(), t.test());
        int anomalies = Protocol.anomalies(t.truth());
        List<RunResult> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            // No threshold is fitted to a variant score: its flag metrics are NaN, as in runs from old CSVs.
            out.add(new RunResult(candidate.name() + "|" + e.getKey(), set, seed,
                    RankingMetrics.auroc(e.getValue(), t.truth()), RankingMetrics.averagePrecision(e.getValue(), t.truth()),
                    t.trainSeconds(), t.training().history().size(), t.training().bestEpoch(), t.train().rows(),
                    t.test().rows(), anomalies, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        }
        return out;
    }

    /**
     * Runs every (set, seed) of {@code plan} (its one candidate), {@link Suite.Plan#jobs()} at a time, and returns
     * the results ordered by set, seed and score.
     *
     * @param progress where a line per finished (set, seed) goes
     * @throws IllegalArgumentException when the plan has images or more than one candidate
     */
    public static List<RunResult> run(Suite.Plan plan, PrintStream progress) throws Exception {
        return OneModelRuns.run("ScoreVariants", plan, ScoreVariants::run, progress);
    }

    /**
     * A markdown table: per score, the mean over the sets of the per-set mean AUROC and AUPRC, and the mean AUROC
     * over the thirteen suite sets and over the held-out sets when the runs have both.
     */
    public static String summary(String spec, List<RunResult> runs) {
        List<String> sets = runs.stream().map(RunResult::set).distinct().toList();
        List<String> suiteSets = sets.stream().filter(Suite.ALL::contains).toList();
        List<String> heldOut = sets.stream().filter(Suite.HELD_OUT::contains).toList();
        boolean split = !suiteSets.isEmpty() && !heldOut.isEmpty();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| score (`%s`) | AUROC, %d sets | AUPRC |", spec,
                sets.size()));
        b.append(split ? String.format(Locale.ROOT, " AUROC, %d suite sets | AUROC, %d held-out |%n|---|---|---|---|---|%n",
                suiteSets.size(), heldOut.size()) : "\n|---|---|---|\n");
        for (String score : SCORES) {
            String name = spec + "|" + score;
            List<RunResult> mine = runs.stream().filter(r -> r.candidate().equals(name)).toList();
            b.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f |", score, meanOfSetMeans(mine, sets, true),
                    meanOfSetMeans(mine, sets, false)));
            if (split) {
                b.append(String.format(Locale.ROOT, " %.4f | %.4f |", meanOfSetMeans(mine, suiteSets, true),
                        meanOfSetMeans(mine, heldOut, true)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Entry point; see the class documentation for the options. The summary goes to standard output, a line per
     * finished (set, seed) to standard error, every run to {@code --csv} when given.
     *
     * @throws Exception when an option is unknown, a data file is missing or a run fails
     */
    public static void main(String[] args) throws Exception {
        OneModelRuns.main("ScoreVariants", args, ScoreVariants::run, ScoreVariants::summary);
    }

    private static double meanOfSetMeans(List<RunResult> runs, List<String> sets, boolean auroc) {
        return sets.stream().mapToDouble(set -> runs.stream().filter(r -> r.set().equals(set))
                .mapToDouble(r -> auroc ? r.auroc() : r.auprc()).average().orElse(Double.NaN)).average()
                .orElse(Double.NaN);
    }

    private static double[] plus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double[] column(double[] values, int rows, int d, int j) {
        double[] col = new double[rows];
        for (int i = 0; i < rows; i++) {
            col[i] = values[i * d + j];
        }
        return col;
    }

    /** The first index of {@code sorted} whose value is at or above {@code x} ({@code sorted.length} if none). */
    private static int firstAtOrAbove(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void checkShapes(double[] trainNll, int trainRows, double[] nll, int rows, int d) {
        if (trainRows < 1 || d < 1 || trainNll.length != (long) trainRows * d || nll.length != (long) rows * d) {
            throw new IllegalArgumentException("Expected " + trainRows + " training rows (at least one) and " + rows
                    + " rows of " + d + " features: got " + trainNll.length + " and " + nll.length + " values");
        }
    }
}
