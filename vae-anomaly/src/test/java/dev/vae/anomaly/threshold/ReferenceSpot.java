package dev.vae.anomaly.threshold;

import java.util.ArrayList;
import java.util.List;

/**
 * SPOT as {@link PeaksOverThreshold}'s javadoc documents it, written again in the plainest form for tests to compare
 * with: the kept peaks in a list in fit order (calibration peaks by increasing score, then streamed ones as they
 * come), a reservoir beyond the cap (the k-th peak replaces slot {@code mix(k) mod k} when below the cap), a refit
 * once max(1, floor(f kept)) changes to the kept peaks have come since the last one, and the counts N_t and n
 * counting every peak.
 */
final class ReferenceSpot {
    final SpotSettings settings;
    final double t;
    final List<Double> excesses = new ArrayList<>();
    long peakCount;
    long observations;
    int changesSinceFit;
    GeneralizedPareto tail;
    double z;

    ReferenceSpot(double[] scores, SpotSettings settings) {
        this.settings = settings;
        t = Quantiles.quantile(scores, settings.level());
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > t) {
                peakCount++;
                if (kept.size() < settings.maxPeaks()) {
                    kept.add(i);
                } else if (slot(peakCount) < settings.maxPeaks()) {
                    kept.set((int) slot(peakCount), i);
                }
            }
        }
        observations = scores.length;
        kept.sort((a, b) -> scores[a] != scores[b] ? Double.compare(scores[a], scores[b]) : Integer.compare(a, b));
        for (int i : kept) {
            excesses.add(scores[i] - t);
        }
        tail = refit();
    }

    /** SplitMix64's finaliser of {@code k * golden ratio}, reduced modulo k (unsigned). */
    static long slot(long k) {
        long z = k * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return Long.remainderUnsigned(z, k);
    }

    /** Judges a score and learns from it when normal; true for an anomaly. */
    boolean update(double s) {
        if (s > z) {
            return true;
        }
        learn(s);
        return false;
    }

    /** Learns from a score judged normal. */
    void learn(double s) {
        observations++;
        if (s > t) {
            peakCount++;
            boolean changed = true;
            if (excesses.size() < settings.maxPeaks()) {
                excesses.add(s - t);
            } else if (slot(peakCount) < settings.maxPeaks()) {
                excesses.set((int) slot(peakCount), s - t);
            } else {
                changed = false;
            }
            if (changed && ++changesSinceFit >= Math.max(1, (int) Math.floor(settings.refitFraction() * excesses.size()))) {
                tail = refit();
            } else {
                z = t + tail.excessQuantile(Math.min(1.0, settings.risk() * observations / peakCount));
            }
        }
    }

    private GeneralizedPareto refit() {
        double[] y = excesses.stream().mapToDouble(Double::doubleValue).toArray();
        GeneralizedPareto fitted = GeneralizedPareto.fit(y, y.length);
        changesSinceFit = 0;
        z = t + fitted.excessQuantile(Math.min(1.0, settings.risk() * observations / peakCount));
        return fitted;
    }
}
