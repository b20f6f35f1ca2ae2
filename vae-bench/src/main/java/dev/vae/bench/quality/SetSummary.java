package dev.vae.bench.quality;

import java.util.List;

/**
 * One candidate on one set, over its seeds, beside the baselines.
 *
 * @param set               the set
 * @param half              {@code selection}, {@code confirmation} or {@code held-out} ({@link Suite#half})
 * @param seeds             runs averaged
 * @param aurocMean         mean test AUROC
 * @param aurocSd           its sample standard deviation (0 for one seed)
 * @param auprcMean         mean test AUPRC
 * @param auprcSd           its sample standard deviation
 * @param f1Mean            mean test F1 of the default threshold's flags ({@link RunResult#f1()}); NaN when a run
 *                          did not measure them (read from an older CSV)
 * @param precisionMean     their mean test precision (0 for a run that flags nothing), NaN likewise
 * @param recallMean        their mean test recall, NaN likewise
 * @param rank              the candidate's rank by mean AUROC among itself and the eight label-free baselines
 *                          (1 = best, ties averaged)
 * @param bestBaseline      the label-free baseline of highest mean AUROC on this set
 * @param bestBaselineAuroc its mean AUROC
 * @param iforestAuroc      Isolation Forest's mean AUROC
 * @param iforestAuprc      Isolation Forest's mean AUPRC
 * @param trainSeconds      mean training seconds per seed
 * @param baselineRanks     the rank of each label-free baseline in the same ranking, in
 *                          {@link Baselines#LABEL_FREE} order
 */
public record SetSummary(String set, String half, int seeds, double aurocMean, double aurocSd, double auprcMean,
                         double auprcSd, double f1Mean, double precisionMean, double recallMean, double rank,
                         String bestBaseline, double bestBaselineAuroc,
                         double iforestAuroc, double iforestAuprc, double trainSeconds, List<Double> baselineRanks) {

    /** Copies the ranks. */
    public SetSummary {
        baselineRanks = List.copyOf(baselineRanks);
    }
}
