package dev.vae.bench.quality;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.Table;
import dev.vae.core.random.Shuffle;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the SPEC section 11 protocol: train on the training rows without their labels (their anomalies
 * included), score the test rows with the model's own score, AUROC and AUPRC on the test rows. The test labels are
 * read by the metrics alone. Each run is self-contained (its own trainer, seeded by the fold seed, one thread), so
 * runs can execute in any order and in parallel with the same results.
 */
public final class Protocol {

    private Protocol() {
    }

    /**
     * Trains {@code candidate} on {@code train} and evaluates it on {@code test}.
     *
     * @param candidate the recipe
     * @param set       the set's name, for the result
     * @param train     training rows; their labels, if any, are dropped before training
     * @param test      test rows; must have labels
     * @param seed      the fold seed, used as the trainer's seed
     * @throws IllegalArgumentException when the test rows have no labels
     */
    public static RunResult run(Candidate candidate, String set, Table train, Table test, int seed) {
        int[] truth = test.labels();
        if (truth == null) {
            throw new IllegalArgumentException("Test rows of " + set + " have no labels");
        }
        Table unlabelled = subsample(new Table(train.columns(), train.values(), train.rows(), null, train.source()),
                candidate.rowsPerFeature(), seed);
        Table testRows = new Table(test.columns(), test.values(), test.rows(), null, test.source());
        Preprocessing.Scaling sc = candidate.scaling() == null ? null
                : Preprocessing.fitScaling(candidate.scaling(), unlabelled.values(), unlabelled.rows(), unlabelled.width());
        if (sc != null) {
            testRows = Preprocessing.transform(testRows, sc, false, 0L);
        }
        if (sc != null || candidate.dequantise()) {
            unlabelled = Preprocessing.transform(unlabelled, sc, candidate.dequantise(), 7919L * seed + 17);
        }
        long t0 = System.nanoTime();
        List<VaeModel> models = new ArrayList<>();
        TrainingResult first = null;
        for (TrainingConfig member : candidate.members(seed, unlabelled.rows(), unlabelled.width())) {
            TrainingResult r = new VaeTrainer(member).fit(unlabelled);
            if (first == null) {
                first = r;
            }
            models.add(r.model());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] scores = new double[testRows.rows()];
        for (VaeModel model : models) {
            double[] one = new Scorer(model).score(testRows.values(), testRows.rows());
            for (int i = 0; i < one.length; i++) {
                scores[i] += one[i] / models.size();
            }
        }
        int anomalies = 0;
        for (int l : truth) {
            anomalies += l != 0 ? 1 : 0;
        }
        return new RunResult(candidate.name(), set, seed, RankingMetrics.auroc(scores, truth),
                RankingMetrics.averagePrecision(scores, truth), seconds, first.history().size(), first.bestEpoch(),
                unlabelled.rows(), testRows.rows(), anomalies);
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
