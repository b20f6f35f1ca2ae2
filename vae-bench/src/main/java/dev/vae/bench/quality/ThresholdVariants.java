package dev.vae.bench.quality;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.Quantiles;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.data.Table;
import dev.vae.core.stats.TwoClassSplit;
import dev.vae.train.EpochStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flags of several label-free threshold rules from one trained model per run: for each (set, seed) of the suite,
 * the candidate is trained once as {@link Protocol} trains it (through {@link Detector#builder()}, which holds out
 * the validation rows), its validation and test rows are scored, and every rule of {@link #RULES} is fitted on the
 * validation scores and judged by the F1 (precision, recall) of its test flags. Each rule is written as a suite run
 * of candidate {@code SPEC|th=RULE}, so that {@code Suite --from-csv} reports them side by side; AUROC and AUPRC are
 * the model's, the same for every rule. It exists to compare thresholds without retraining.
 *
 * <pre>
 * ThresholdVariants [--candidate defaults] [--sets all|held-out|all+held-out|spam,cells] [--seeds 5] [--jobs 2]
 *                   [--shared ../shared] [--heldout vae-bench/heldout] [--csv thresholds.csv]
 * </pre>
 *
 * The rules:
 * <ul>
 *   <li>{@code split}, {@code sigma:3}, {@code pot:0.01}, {@code quantile:0.99}: {@link ThresholdSpec}s as
 *       {@code vae train --threshold} reads them ({@code split} is the default; {@code pot} falls back to
 *       {@code sigma:3} when the validation rows are too few for its tail fit);</li>
 *   <li>{@code split-minority}: {@code split}, but its cut only when the upper class holds at most half of the
 *       validation rows (anomalies are the minority), else {@code sigma:3};</li>
 *   <li>{@code trim-share}: the (1 - s)-quantile of the validation scores, s the share of training rows that
 *       adaptive trimming left out of the last epoch's gradient (the trainer's estimate of the anomalies' share, at
 *       most the trimming cap); {@code sigma:3} when s = 0;</li>
 *   <li>{@code trim-share-gated}: {@code trim-share} when the validation scores have an anomaly mode by
 *       {@code split}'s gate ({@link ThresholdSpec.Split#MIN_SEPARATION}), else {@code sigma:3}.</li>
 * </ul>
 * docs/quality-suite.md; the measurements are in docs/anomaly-defaults.md (session 11).
 */
public final class ThresholdVariants {

    /** The rules, in report order. */
    public static final List<String> RULES = List.of("split", "sigma:3", "pot:0.01", "quantile:0.99",
            "split-minority", "trim-share", "trim-share-gated");

    private static final ThresholdSpec FALLBACK = ThresholdSpec.parse("sigma:3");

    private ThresholdVariants() {
    }

    /**
     * The threshold {@code rule} fits on the validation scores.
     *
     * @param rule       one of {@link #RULES}
     * @param validation the validation rows' scores
     * @param trimShare  the share of training rows that trimming left out of the last epoch, in [0, 1]
     * @param score      the score the values are of
     * @throws IllegalArgumentException for a rule not in {@link #RULES}
     */
    public static Threshold fit(String rule, double[] validation, double trimShare, ScoreSettings score) {
        String fittedOn = validation.length + " validation rows";
        Threshold fallback = FALLBACK.fit(validation, null, score, fittedOn);
        TwoClassSplit split = TwoClassSplit.of(validation);
        boolean separates = ThresholdSpec.Split.hasAnomalyMode(split);
        switch (rule) {
            case "split-minority":
                return separates && split.above() <= validation.length / 2
                        ? new Threshold(split.cut(), rule, fittedOn, score) : fallback;
            case "trim-share":
                return trimShare > 0 ? trimShareThreshold(validation, trimShare, score, fittedOn) : fallback;
            case "trim-share-gated":
                return trimShare > 0 && separates ? trimShareThreshold(validation, trimShare, score, fittedOn)
                        : fallback;
            default:
                if (!RULES.contains(rule)) {
                    throw new IllegalArgumentException("Unknown threshold rule '" + rule + "' (expected one of "
                            + RULES + ")");
                }
                try {
                    return ThresholdSpec.parse(rule).fit(validation, null, score, fittedOn);
                } catch (IllegalArgumentException tooFewForTheTail) {
                    return fallback;
                }
        }
    }

    private static Threshold trimShareThreshold(double[] validation, double share, ScoreSettings score,
                                                String fittedOn) {
        return new Threshold(Quantiles.quantile(validation, 1 - share), String.format(Locale.ROOT,
                "trim-share: %.1f%% of the training rows left out", 100 * share), fittedOn, score);
    }

    /**
     * Trains {@code candidate} once on {@code train} and judges every rule on {@code test}: one result per rule, in
     * {@link #RULES} order, named {@code candidate|th=rule}.
     */
    public static List<RunResult> run(Candidate candidate, String set, Table train,
                                      Table test, int seed) {
        OneModelRuns.requireOneModel("ThresholdVariants", candidate);
        Protocol.Prepared rows = Protocol.prepare(candidate, set, train, test, seed);
        long t0 = System.nanoTime();
        TrainedDetector trained = Detector.builder().training(candidate.members(seed, rows.train()).get(0))
                .threshold(candidate.threshold()).fit(rows.train());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Scorer scorer = new Scorer(trained.model());
        double[] validation = scorer.score(trained.thresholdRows().values(), trained.thresholdRows().rows());
        double[] scores = scorer.score(rows.test().values(), rows.test().rows());
        List<EpochStats> history = trained.training().history();
        double trimShare = (double) history.get(history.size() - 1).leftOutRows() / rows.train().rows();
        double auroc = RankingMetrics.auroc(scores, rows.truth());
        double auprc = RankingMetrics.averagePrecision(scores, rows.truth());
        List<RunResult> out = new ArrayList<>();
        for (String rule : RULES) {
            Protocol.Flags flags = Protocol.Flags.of(scores, rows.truth(),
                    fit(rule, validation, trimShare, scorer.settings()));
            out.add(new RunResult(candidate.name() + "|th=" + rule, set, seed, auroc, auprc, seconds, history.size(),
                    trained.training().bestEpoch(), rows.train().rows(), rows.test().rows(),
                    Protocol.anomalies(rows.truth()), flags.precision(), flags.recall(), flags.f1(),
                    flags.flaggedShare()));
        }
        return out;
    }

    /**
     * Runs every (set, seed) of {@code plan} (its one candidate), {@link Suite.Plan#jobs()} at a time, and returns
     * the results ordered by set, seed and rule.
     *
     * @param progress where a line per finished (set, seed) goes
     * @throws IllegalArgumentException when the plan has images or more than one candidate
     */
    public static List<RunResult> run(Suite.Plan plan, PrintStream progress) throws Exception {
        return OneModelRuns.run("ThresholdVariants", plan, ThresholdVariants::run, progress);
    }

    /**
     * A markdown table: per rule, the mean over each half's sets (selection, confirmation, held-out, as the runs
     * have them) of the per-set mean F1 and flagged share.
     */
    public static String summary(String spec, List<RunResult> runs) {
        List<String> halves = runs.stream().map(r -> Suite.half(r.set())).distinct().toList();
        StringBuilder b = new StringBuilder("| rule (`" + spec + "`) |");
        halves.forEach(h -> b.append(' ').append(h).append(" F1 (flagged) |"));
        b.append("\n|---|").append("---|".repeat(halves.size())).append('\n');
        for (String rule : RULES) {
            String name = spec + "|th=" + rule;
            b.append("| ").append(rule).append(" |");
            for (String half : halves) {
                List<RunResult> mine = runs.stream().filter(r -> r.candidate().equals(name)
                        && Suite.half(r.set()).equals(half)).toList();
                b.append(String.format(Locale.ROOT, " %.3f (%.3f) |", meanOfSetMeans(mine, true),
                        meanOfSetMeans(mine, false)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static double meanOfSetMeans(List<RunResult> runs, boolean f1) {
        return runs.stream().map(RunResult::set).distinct().mapToDouble(set -> runs.stream()
                .filter(r -> r.set().equals(set)).mapToDouble(r -> f1 ? r.f1() : r.flaggedShare()).average()
                .orElse(Double.NaN)).average().orElse(Double.NaN);
    }

    /**
     * Entry point; see the class documentation for the options. The summary goes to standard output, a line per
     * finished (set, seed) to standard error, every run to {@code --csv} when given.
     *
     * @throws Exception when an option is unknown, a data file is missing or a run fails
     */
    public static void main(String[] args) throws Exception {
        OneModelRuns.main("ThresholdVariants", args, ThresholdVariants::run, ThresholdVariants::summary);
    }
}
