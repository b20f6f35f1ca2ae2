package dev.vae.bench.quality;

import dev.vae.anomaly.threshold.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/** Summaries and markdown tables of the suite's runs (one table per candidate). */
public final class Report {

    /** A set counts as lost to Isolation Forest when its mean AUROC is more than this below IForest's. */
    public static final double IFOREST_MARGIN = 0.03;

    private Report() {
    }

    /**
     * Summarises one candidate's runs per set, in the order of {@code sets}; sets without runs are left out.
     *
     * @throws IllegalArgumentException when a set has no label-free baseline in {@code baselines}
     */
    public static List<SetSummary> summarise(List<RunResult> runs, List<String> sets, Baselines baselines) {
        List<SetSummary> out = new ArrayList<>();
        for (String set : sets) {
            List<RunResult> mine = runs.stream().filter(r -> r.set().equals(set)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            double[] auroc = mine.stream().mapToDouble(RunResult::auroc).toArray();
            double[] auprc = mine.stream().mapToDouble(RunResult::auprc).toArray();
            double aurocMean = Quantiles.mean(auroc);
            List<String> methods = Baselines.LABEL_FREE;
            double[] values = new double[methods.size() + 1];
            String best = "";
            double bestAuroc = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < methods.size(); i++) {
                Baselines.Score s = baselines.get(set, methods.get(i));
                if (s == null) {
                    throw new IllegalArgumentException("No baseline " + methods.get(i) + " for set " + set);
                }
                values[i] = s.auroc();
                if (s.auroc() > bestAuroc) {
                    bestAuroc = s.auroc();
                    best = methods.get(i);
                }
            }
            values[methods.size()] = aurocMean;
            double[] ranks = Ranks.descending(values);
            Baselines.Score iforest = baselines.get(set, "iforest");
            out.add(new SetSummary(set, Suite.half(set), mine.size(), aurocMean, Quantiles.standardDeviation(auroc),
                    Quantiles.mean(auprc), Quantiles.standardDeviation(auprc),
                    Quantiles.mean(mine.stream().mapToDouble(RunResult::f1).toArray()),
                    Quantiles.mean(mine.stream().mapToDouble(RunResult::precision).toArray()),
                    Quantiles.mean(mine.stream().mapToDouble(RunResult::recall).toArray()),
                    ranks[methods.size()], best, bestAuroc, iforest.auroc(), iforest.auprc(),
                    Quantiles.mean(mine.stream().mapToDouble(RunResult::trainSeconds).toArray()),
                    java.util.Arrays.stream(ranks, 0, methods.size()).boxed().toList()));
        }
        return out;
    }

    /**
     * The markdown report of one candidate: the per-set table, the means over the sets, the mean ranks of all nine
     * detectors, the sets lost to Isolation Forest, and the means on each half of the fixed selection split and on
     * the held-out sets ({@link Suite#HELD_OUT}) when there are any. The test F1 (precision / recall) of the default
     * threshold's flags is a mean over seeds per set and a mean of those over sets; {@code -} where runs did not
     * measure it (read from an older CSV).
     *
     * @param defaultSeconds mean training seconds per set of the defaults in the same invocation, or null: when
     *                       given, a column shows this candidate's training time as a multiple of the defaults'
     */
    public static String table(String candidate, List<SetSummary> sets, @Nullable Map<String, Double> defaultSeconds) {
        StringBuilder b = new StringBuilder();
        int seeds = sets.stream().mapToInt(SetSummary::seeds).max().orElse(0);
        b.append(String.format(Locale.ROOT, "### candidate `%s` (%d seed%s; rank among the 8 label-free baselines and"
                + " this candidate by mean AUROC, 1 = best)%n%n", candidate, seeds, seeds == 1 ? "" : "s"));
        boolean ratio = defaultSeconds != null;
        b.append("| set | half | AUROC mean ± sd | AUPRC mean ± sd | F1 of the default threshold (P / R) | rank of 9"
                + " | best baseline (AUROC) | IForest AUROC | IForest AUPRC | train s/seed |"
                + (ratio ? " x defaults |" : "") + "\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|" + (ratio ? "---|" : "") + "\n");
        for (SetSummary s : sets) {
            boolean lost = s.aurocMean() < s.iforestAuroc() - IFOREST_MARGIN;
            b.append(String.format(Locale.ROOT, "| %s | %s | %.4f ± %.4f%s | %.4f ± %.4f | %s | %s | %s %.3f | %.3f | %.3f | %.2f |",
                    s.set(), s.half().substring(0, 3), s.aurocMean(), s.aurocSd(), lost ? " ✗" : "", s.auprcMean(),
                    s.auprcSd(), flags(s.f1Mean(), s.precisionMean(), s.recallMean()), rank(s.rank()), s.bestBaseline(),
                    s.bestBaselineAuroc(), s.iforestAuroc(),
                    s.iforestAuprc(), s.trainSeconds()));
            if (ratio) {
                Double d = defaultSeconds.get(s.set());
                b.append(d == null || d <= 0 ? " — |" : String.format(Locale.ROOT, " %.2f |", s.trainSeconds() / d));
            }
            b.append('\n');
        }
        String meanFlags = flags(mean(sets, SetSummary::f1Mean), mean(sets, SetSummary::precisionMean),
                mean(sets, SetSummary::recallMean));
        b.append(String.format(Locale.ROOT, "| **mean of %d** | | **%.4f** | **%.4f** | %s | **%.2f** | %.3f (best per"
                        + " set) | %.3f | %.3f | %.2f |%s%n%n", sets.size(), mean(sets, SetSummary::aurocMean),
                mean(sets, SetSummary::auprcMean), meanFlags.equals("-") ? meanFlags : "**" + meanFlags + "**",
                mean(sets, SetSummary::rank), mean(sets, SetSummary::bestBaselineAuroc),
                mean(sets, SetSummary::iforestAuroc), mean(sets, SetSummary::iforestAuprc),
                sets.stream().mapToDouble(SetSummary::trainSeconds).sum(), ratio ? " |" : ""));
        b.append("(✗ = more than ").append(IFOREST_MARGIN).append(" below Isolation Forest; the seconds of the mean row"
                + " are the sum over the sets.)\n\n");
        b.append("Mean rank over the sets, among these nine: ").append(meanRanks(candidate, sets)).append("\n\n");
        List<String> lost = sets.stream().filter(s -> s.aurocMean() < s.iforestAuroc() - IFOREST_MARGIN)
                .map(SetSummary::set).toList();
        b.append(String.format(Locale.ROOT, "Sets more than %.2f below Isolation Forest: **%d**%s%n%n", IFOREST_MARGIN,
                lost.size(), lost.isEmpty() ? "" : " (" + String.join(", ", lost) + ")"));
        b.append("| half | sets | AUROC | AUPRC | F1 of the default threshold | mean rank | IForest AUROC"
                + " | best-per-set AUROC |\n|---|---|---|---|---|---|---|---|\n");
        for (String half : List.of("selection", "confirmation", "held-out")) {
            List<SetSummary> h = sets.stream().filter(s -> s.half().equals(half)).toList();
            if (h.isEmpty()) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %s | %.2f | %.4f | %.4f |%n", half,
                    h.size(), mean(h, SetSummary::aurocMean), mean(h, SetSummary::auprcMean),
                    number(mean(h, SetSummary::f1Mean), "%.3f"), mean(h, SetSummary::rank),
                    mean(h, SetSummary::iforestAuroc), mean(h, SetSummary::bestBaselineAuroc)));
        }
        return b.toString();
    }

    /** The mean rank of the candidate and of each baseline over {@code sets}, best first. */
    static String meanRanks(String candidate, List<SetSummary> sets) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("**" + candidate + "**", mean(sets, SetSummary::rank));
        for (int i = 0; i < Baselines.LABEL_FREE.size(); i++) {
            int k = i;
            m.put(Baselines.LABEL_FREE.get(i), mean(sets, s -> s.baselineRanks().get(k)));
        }
        return String.join(", ", m.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).toList());
    }

    /** {@code F1 (P / R)}, or {@code -} when the F1 was not measured (NaN). */
    static String flags(double f1, double precision, double recall) {
        return Double.isNaN(f1) ? "-" : String.format(Locale.ROOT, "%.3f (%.2f / %.2f)", f1, precision, recall);
    }

    /** {@code value} in {@code format}, or {@code -} when it is NaN (not measured). */
    private static String number(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    private static String rank(double r) {
        return r == Math.rint(r) ? String.valueOf((int) r) : String.format(Locale.ROOT, "%.1f", r);
    }

    private static double mean(List<SetSummary> sets, ToDoubleFunction<SetSummary> f) {
        return sets.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /**
     * Leave-one-set-out selection over several candidates: for each set, the candidate with the best mean AUROC on
     * the <em>other</em> sets, and what it scores on this one. The mean of those held-out values estimates what
     * choosing among these candidates by this suite gives on a set the choice never saw; when the same candidate
     * wins every time, the choice does not hinge on any one set.
     *
     * @param bySet per candidate (in order; ties go to the earlier one), its summaries in set order
     * @return a markdown section, or an empty string for fewer than two candidates or two sets (with one set there
     *         are no other sets to choose on)
     */
    public static String leaveOneSetOut(Map<String, List<SetSummary>> bySet) {
        if (bySet.size() < 2) {
            return "";
        }
        List<String> sets = bySet.values().iterator().next().stream().map(SetSummary::set).toList();
        if (sets.size() < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder("### Leave-one-set-out selection among these candidates\n\n"
                + "| held-out set | chosen on the other sets | its AUROC there | rank of 9 |\n|---|---|---|---|\n");
        double sum = 0;
        double rankSum = 0;
        Map<String, Integer> chosen = new LinkedHashMap<>();
        for (String held : sets) {
            String best = null;
            double bestMean = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, List<SetSummary>> e : bySet.entrySet()) {
                double m = e.getValue().stream().filter(x -> !x.set().equals(held)).mapToDouble(SetSummary::aurocMean)
                        .average().orElse(Double.NaN);
                if (m > bestMean) {
                    bestMean = m;
                    best = e.getKey();
                }
            }
            SetSummary there = bySet.get(best).stream().filter(x -> x.set().equals(held)).findFirst().orElseThrow();
            sum += there.aurocMean();
            rankSum += there.rank();
            chosen.merge(best, 1, Integer::sum);
            b.append(String.format(Locale.ROOT, "| %s | `%s` | %.4f | %s |%n", held, best, there.aurocMean(),
                    rank(there.rank())));
        }
        b.append(String.format(Locale.ROOT, "| **mean** | %s | **%.4f** | **%.2f** |%n%n", chosen, sum / sets.size(),
                rankSum / sets.size()));
        return b.toString();
    }
}
