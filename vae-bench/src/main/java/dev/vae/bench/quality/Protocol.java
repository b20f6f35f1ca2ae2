package dev.vae.bench.quality;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.eval.ConfusionCounts;
import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.random.Shuffle;
import dev.vae.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One run of the SPEC section 11 protocol: train on the training rows without their labels (their anomalies
 * included), score the test rows with the model's own score, AUROC and AUPRC on the test rows; then flag the test
 * rows with the threshold the product fits by default (or the candidate's {@code th=}) and measure precision, recall
 * and F1 of those flags. The test labels are read by the metrics alone. Each run is self-contained (its own trainer,
 * seeded by the fold seed, one thread), so runs can execute in any order and in parallel with the same results.
 *
 * <p><b>The default threshold.</b> Each member is trained by {@link Detector#builder()} with
 * {@link ThresholdSpec#defaults()}, the path {@code vae train} takes: the builder trains once (the same
 * {@code VaeTrainer.fit} call as before, so the weights, and AUROC and AUPRC, are unchanged) and fits the threshold
 * on the rows the trainer held out for validation. With one member that threshold is the one a user of
 * {@code vae train} gets on these training rows; so is an ensemble's ({@code ens=N}: one model of N networks, the
 * library's, which trains every network on the same split and fits its threshold on its own mean score). With several
 * models ({@code mix=}) the suite scores rows by the mean of the models' scores, so the threshold is refitted on that
 * mean, with the same {@link ThresholdSpec#defaults()}, over the validation rows of the first model (seeded by the
 * fold seed: the rows a one-model run holds out). The other models, seeded otherwise, held out other rows and trained
 * on most of these, so their scores there run lower than on new rows and the mean-score threshold sits somewhat lower
 * than a held-out one would (more flags).
 */
public final class Protocol {

    private Protocol() {
    }

    /**
     * A run with what it trained, for a caller that checks the flags against the models.
     *
     * @param result        the run's metrics
     * @param members       the trained models (one unless {@code mix=}; an {@code ens=} ensemble is one); each carries the threshold
     *                      its own training fitted
     * @param threshold     the threshold that flagged the test rows: the only member's, or the one fitted on the
     *                      members' mean score
     * @param thresholdRows the rows it was fitted on (the first member's validation rows, in the members' units)
     */
    public record Outcome(RunResult result, List<VaeModel> members, Threshold threshold, Table thresholdRows) {

        /** Copies the members. */
        public Outcome {
            members = List.copyOf(members);
        }
    }

    /**
     * Trains {@code candidate} on {@code train} and evaluates it on {@code test} ({@link #runKeepingModels}).
     *
     * @param candidate the recipe
     * @param set       the set's name, for the result
     * @param train     training rows; their labels, if any, are dropped before training
     * @param test      test rows; must have labels
     * @param seed      the fold seed, used as the trainer's seed
     * @throws IllegalArgumentException when the test rows have no labels, or the validation scores do not suit the
     *                                  default threshold (non-finite scores)
     */
    public static RunResult run(Candidate candidate, String set, Table train, Table test, int seed) {
        return runKeepingModels(candidate, set, train, test, seed).result();
    }

    /**
     * Trains {@code candidate} on {@code train}, fits the default threshold (class documentation) and evaluates both
     * the ranking and the flags on {@code test}; returns the models and the threshold with the metrics.
     *
     * @param candidate the recipe
     * @param set       the set's name, for the result
     * @param train     training rows; their labels, if any, are dropped before training
     * @param test      test rows; must have labels
     * @param seed      the fold seed, used as the trainer's seed
     * @throws IllegalArgumentException as {@link #run}
     */
    public static Outcome runKeepingModels(Candidate candidate, String set, Table train, Table test, int seed) {
        Prepared rows = prepare(candidate, set, train, test, seed);
        Table unlabelled = rows.train();
        Table testRows = rows.test();
        int[] truth = rows.truth();
        long t0 = System.nanoTime();
        List<VaeModel> models = new ArrayList<>();
        TrainedDetector first = null;
        for (TrainingConfig member : candidate.members(seed, unlabelled)) {
            // Training here is VaeTrainer.fit(unlabelled), as vae train's; the threshold costs one pass over the
            // validation rows. The builder registers no meter unless its detector() is asked for.
            TrainedDetector trained = Detector.builder().training(member).threshold(candidate.threshold())
                    .fit(unlabelled);
            if (first == null) {
                first = trained;
            }
            models.add(trained.model());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] scores = meanScore(models, testRows);
        Threshold threshold = models.size() == 1 ? first.threshold()
                : meanScoreThreshold(candidate.threshold(), models, first.thresholdRows());
        Flags flags = Flags.of(scores, truth, threshold);
        RunResult result = new RunResult(candidate.name(), set, seed, RankingMetrics.auroc(scores, truth),
                RankingMetrics.averagePrecision(scores, truth), seconds, first.training().history().size(),
                first.training().bestEpoch(), unlabelled.rows(), testRows.rows(), anomalies(truth), flags.precision(),
                flags.recall(), flags.f1(), flags.flaggedShare());
        return new Outcome(result, models, threshold, first.thresholdRows());
    }

    /** The mean of the models' scores of each row, summed in model order (the suite's score of a {@code mix=}). */
    private static double[] meanScore(List<VaeModel> models, Table rows) {
        double[] scores = new double[rows.rows()];
        for (VaeModel model : models) {
            double[] one = new Scorer(model).score(rows.values(), rows.rows());
            for (int i = 0; i < one.length; i++) {
                scores[i] += one[i] / models.size();
            }
        }
        return scores;
    }

    /**
     * {@code spec} fitted on the members' mean score of {@code rows}; the score it records is the first member's (a
     * mean over members has no settings of its own, and only this suite compares with it).
     */
    private static Threshold meanScoreThreshold(ThresholdSpec spec, List<VaeModel> models, Table rows) {
        Scorer first = new Scorer(models.get(0));
        String fittedOn = String.format(Locale.ROOT, "%s, %d rows (the first member's validation split), mean score of"
                + " %d members, score %s/%d", rows.source(), rows.rows(), models.size(), first.settings().kind().id(),
                first.settings().samples());
        return spec.fit(meanScore(models, rows), null, first.settings(), fittedOn);
    }

    /**
     * What a threshold's flags give on labelled rows.
     *
     * @param precision    flagged anomalies over flagged rows; 0 by convention when no row is flagged
     * @param recall       flagged anomalies over anomalies (NaN without anomalies)
     * @param f1           2 tp / (2 tp + fp + fn) ({@link ConfusionCounts#f1()}): 0 when nothing is flagged among
     *                     rows with anomalies
     * @param flaggedShare flagged rows over rows
     */
    record Flags(double precision, double recall, double f1, double flaggedShare) {

        /**
         * Flags the rows whose score {@code threshold} calls anomalous (strictly above its value, as
         * {@link Threshold#isAnomalous} and {@link ConfusionCounts#at} decide) and compares them with the labels
         * (anomaly = label != 0).
         *
         * @throws IllegalArgumentException when scores and labels differ in length
         */
        static Flags of(double[] scores, int[] labels, Threshold threshold) {
            ConfusionCounts counts = ConfusionCounts.at(scores, labels, threshold.value());
            long flagged = counts.truePositives() + counts.falsePositives();
            // ConfusionCounts leaves 0/0 NaN; a run that flags nothing has found nothing, so its precision counts 0.
            return new Flags(flagged == 0 ? 0 : counts.precision(), counts.recall(), counts.f1(),
                    (double) flagged / scores.length);
        }
    }

    /**
     * A run's rows as its models see them: the training rows without labels, cut by {@code sub=} and scaled and
     * dequantised as the candidate says, the test rows without labels, scaled alike, and the test labels.
     */
    record Prepared(Table train, Table test, int[] truth) {
    }

    /** The anomalies among labels (label != 0): a run's {@link RunResult#testAnomalies()}. */
    static int anomalies(int[] labels) {
        int count = 0;
        for (int l : labels) {
            count += l != 0 ? 1 : 0;
        }
        return count;
    }

    /**
     * Prepares a run's rows ({@link Prepared}): every run of the suite, and {@link ScoreVariants}, start here.
     *
     * @throws IllegalArgumentException naming {@code set} when the test rows have no labels
     */
    static Prepared prepare(Candidate candidate, String set, Table train, Table test, int seed) {
        int[] truth = test.labels();
        if (truth == null) {
            throw new IllegalArgumentException("Test rows of " + set + " have no labels");
        }
        Table unlabelled = subsample(spiked(new Table(train.columns(), train.values(), train.rows(), null,
                train.source()), candidate.spikes(), 7L * seed + 1), candidate.rowsPerFeature(), seed);
        Table testRows = spiked(new Table(test.columns(), test.values(), test.rows(), null, test.source()),
                candidate.spikes(), 7L * seed + 2);
        Preprocessing.Scaling sc = candidate.scaling() == null ? null
                : Preprocessing.fitScaling(candidate.scaling(), unlabelled.values(), unlabelled.rows(), unlabelled.width());
        if (sc != null) {
            testRows = Preprocessing.transform(testRows, sc, false, 0L);
        }
        if (sc != null || candidate.dequantise()) {
            unlabelled = Preprocessing.transform(unlabelled, sc, candidate.dequantise(), 7919L * seed + 17);
        }
        return new Prepared(unlabelled, testRows, truth);
    }

    /**
     * {@code t} with {@code k} noise columns appended ({@code spike0..}): each value 0 with probability 0.99, else an
     * integer drawn uniformly from 1..16, from a generator seeded by {@code seed}; {@code t} itself when k is 0.
     */
    static Table spiked(Table t, int k, long seed) {
        if (k == 0) {
            return t;
        }
        int d = t.width();
        int w = d + k;
        float[] v = new float[t.rows() * w];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < t.rows(); i++) {
            System.arraycopy(t.values(), i * d, v, i * w, d);
            for (int j = 0; j < k; j++) {
                v[i * w + d + j] = random.nextDouble() < 0.99 ? 0f : 1 + random.nextInt(16);
            }
        }
        List<String> columns = new ArrayList<>(t.columns());
        for (int j = 0; j < k; j++) {
            columns.add("spike" + j);
        }
        return new Table(columns, v, t.rows(), t.labels(), t.source());
    }

    /**
     * The rows of {@code t} cut to a random subset of at most {@code perFeature} x width rows (at least 8), in their
     * original order, drawn with a generator seeded by the fold seed; {@code t} itself when {@code perFeature} is 0
     * or the table is small enough.
     */
    static Table subsample(Table t, double perFeature, int seed) {
        int keep = Math.max(8, (int) Math.round(perFeature * t.width()));
        if (perFeature <= 0 || keep >= t.rows()) {
            return t;
        }
        int[] chosen = java.util.Arrays.copyOf(
                Shuffle.permutation(t.rows(), new java.util.SplittableRandom(9173L * seed + 5)), keep);
        java.util.Arrays.sort(chosen);
        return t.select(chosen);
    }
}
