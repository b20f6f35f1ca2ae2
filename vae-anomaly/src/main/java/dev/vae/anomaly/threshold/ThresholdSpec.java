package dev.vae.anomaly.threshold;

import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.stats.TwoClassSplit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A threshold strategy (SPEC section 4): made in Java by its factories ({@link #split()}, {@link #quantile},
 * {@link #contamination}, {@link #sigma}, {@link #fixed}, {@link #bestF1()}, {@link #pot}), parsed from its
 * command-line form by {@link #parse} (only where text comes in: a command line, a configuration file), and fitted
 * on scores by {@link #fit}. Scores are in nats, higher = more anomalous; a row is anomalous when its score is
 * strictly above the threshold.
 */
public sealed interface ThresholdSpec {

    /** The strategy in its command-line form, e.g. {@code contamination:0.05}; {@link #parse} reads it back. */
    String id();

    /** Whether fitting needs labels (only {@code f1}). */
    default boolean needsLabels() {
        return false;
    }

    /**
     * Fits the threshold on {@code scores}.
     *
     * @param scores   scores of the fitting rows (nats)
     * @param labels   one label per score (0 = normal) for {@code f1}; ignored (and may be null) otherwise
     * @param score    the definition of the scores (kind and samples): the threshold applies to that score only
     * @param fittedOn what the scores are, in words, recorded in the result
     * @throws IllegalArgumentException when the scores or labels do not suit the strategy
     */
    Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn);

    /**
     * The default strategy: {@code split}, the two-class split of held-out validation scores when they have an
     * anomaly mode, else {@code sigma:3}. It needs no labels. Measured on five sets over 10 seeds
     * (docs/anomaly-defaults.md, session 6): mean test F1 0.83 against 0.44 for {@code contamination:0.1}, the
     * default before, which flags a tenth of the rows whatever their share of anomalies (7% on shuttle, 35% on
     * breastw, 1.2% on satimage-2).
     */
    static ThresholdSpec defaults() {
        return split();
    }

    /** {@code split}: the two-class split of the scores when they have an anomaly mode, else {@code sigma:3}. */
    static ThresholdSpec split() {
        return new Split();
    }

    /**
     * {@code quantile:Q}: the empirical q-quantile of the scores.
     *
     * @throws IllegalArgumentException unless 0 &lt; q &lt; 1
     */
    static ThresholdSpec quantile(double q) {
        return new Quantile(q);
    }

    /**
     * {@code contamination:C}: the expected share c of anomalies, i.e. the (1 - c)-quantile of the scores.
     *
     * @throws IllegalArgumentException unless 0 &lt; c &lt;= 0.5
     */
    static ThresholdSpec contamination(double c) {
        return new Contamination(c);
    }

    /**
     * {@code sigma:K}: the scores' mean plus k sample standard deviations.
     *
     * @throws IllegalArgumentException when k is not finite
     */
    static ThresholdSpec sigma(double k) {
        return new Sigma(k);
    }

    /**
     * {@code fixed:V}: the given value in nats, whatever the scores.
     *
     * @throws IllegalArgumentException when the value is not finite
     */
    static ThresholdSpec fixed(double value) {
        return new Fixed(value);
    }

    /** {@code f1}: the cut of the highest F1 on labelled scores; fitting it needs labels. */
    static ThresholdSpec bestF1() {
        return new BestF1();
    }

    /**
     * {@code pot:Q}: Peaks-Over-Threshold at risk q, from the initial quantile level
     * {@link PeaksOverThreshold#DEFAULT_LEVEL} (0.98, the paper's).
     *
     * @throws IllegalArgumentException unless 0 &lt; q &lt; 1
     */
    static ThresholdSpec pot(double q) {
        return new Pot(q, PeaksOverThreshold.DEFAULT_LEVEL);
    }

    /**
     * {@code pot:Q:LEVEL}: Peaks-Over-Threshold at risk q from the initial quantile level {@code level}.
     *
     * @throws IllegalArgumentException unless 0 &lt; q &lt; 1 and 0 &lt; level &lt; 1
     */
    static ThresholdSpec pot(double q, double level) {
        return new Pot(q, level);
    }

    /**
     * Parses {@code split}, {@code quantile:Q}, {@code contamination:C}, {@code sigma:K}, {@code fixed:V},
     * {@code f1}, {@code pot:Q} (optionally {@code pot:Q:LEVEL} with the initial quantile level; {@code spot:Q} and
     * {@code spot:Q:LEVEL} are other names for the same, SPOT being POT's streaming form) or {@code dspot:Q}
     * (optionally {@code dspot:Q:DEPTH} with the drift window's depth, {@link DriftPeaksOverThreshold#DEFAULT_DEPTH}
     * by default).
     *
     * @throws IllegalArgumentException naming the text when it is none of these or a number is out of range
     */
    static ThresholdSpec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[] parts = t.split(":", -1);
        try {
            switch (parts[0]) {
                case "quantile":
                    return new Quantile(number(parts, 1, text));
                case "contamination":
                    return new Contamination(number(parts, 1, text));
                case "sigma":
                    return new Sigma(number(parts, 1, text));
                case "fixed":
                    return new Fixed(number(parts, 1, text));
                case "split":
                    if (parts.length != 1) {
                        throw new IllegalArgumentException("Threshold 'split' takes no value, got '" + text + "'");
                    }
                    return new Split();
                case "f1":
                    if (parts.length != 1) {
                        throw new IllegalArgumentException("Threshold 'f1' takes no value, got '" + text + "'");
                    }
                    return new BestF1();
                case "pot", "spot":
                    if (parts.length == 3) {
                        return new Pot(number(new String[] {parts[0], parts[1]}, 1, text), Double.parseDouble(parts[2]));
                    }
                    return new Pot(number(parts, 1, text), PeaksOverThreshold.DEFAULT_LEVEL);
                case "dspot":
                    return Dspot.parse(parts, text);
                default:
                    throw new IllegalArgumentException("Unknown threshold '" + text + "': expected split, quantile:Q,"
                            + " contamination:C, sigma:K, fixed:V, f1, pot:Q (or spot:Q) or dspot:Q[:DEPTH]");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid number in threshold '" + text + "'");
        }
    }

    /** Refuses a strategy's number unless {@code valid}: "Invalid WHAT: VALUE (expected EXPECTED)". */
    private static void require(boolean valid, String what, Number value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value + " (expected " + expected + ")");
        }
    }

    private static double number(String[] parts, int i, String text) {
        if (parts.length != i + 1 || parts[i].isBlank()) {
            throw new IllegalArgumentException("Threshold '" + text + "' needs one value, e.g. " + parts[0] + ":0.05");
        }
        return Double.parseDouble(parts[i]);
    }

    /**
     * The two-class split of the scores ({@link TwoClassSplit}: Otsu's threshold on their logarithms) when it
     * separates them, that is when it explains at least {@link #MIN_SEPARATION} of the log-scores' variance; else
     * {@code sigma:3}: scores without an anomaly mode have few anomalies, if any, so only their tail is flagged.
     * The recorded method says which, e.g. {@code split: 7.1% above, separation 0.886}.
     */
    record Split() implements ThresholdSpec {
        /**
         * The least separation that counts as an anomaly mode. One normal mode gives 2/pi = 0.637 (its best split
         * is at the mean). Measured on the validation scores of 10 seeds (docs/anomaly-defaults.md, session 6):
         * satimage-2, whose scores have no anomaly mode, 0.548-0.638; pima 0.669-0.751, ionosphere 0.670-0.828,
         * shuttle 0.871-0.890, breastw 0.878-0.953. The margin above satimage-2 and below pima is thin: a set whose
         * anomaly mode is as faint as pima's may fall back.
         */
        public static final double MIN_SEPARATION = 0.66;

        /** What the scores get when they do not separate. */
        static final Sigma FALLBACK = new Sigma(3);

        /** Whether {@code split} counts as an anomaly mode: {@link #MIN_SEPARATION} or more, and something above it. */
        public static boolean hasAnomalyMode(TwoClassSplit split) {
            return split.separation() >= MIN_SEPARATION && split.above() > 0;
        }

        @Override
        public String id() {
            return "split";
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            Quantiles.sortedFinite(scores);
            TwoClassSplit split = TwoClassSplit.of(scores);
            if (hasAnomalyMode(split)) {
                return new Threshold(split.cut(), String.format(Locale.ROOT, "split: %.1f%% above, separation %.3f",
                        100.0 * split.above() / scores.length, split.separation()), fittedOn, score);
            }
            return new Threshold(FALLBACK.fit(scores, labels, score, fittedOn).value(), String.format(Locale.ROOT,
                    "split: no anomaly mode (separation %.3f < %s), so %s", split.separation(), MIN_SEPARATION,
                    FALLBACK.id()), fittedOn, score);
        }
    }

    /**
     * The empirical q-quantile of the scores (linear interpolation, {@link Quantiles#quantile}).
     *
     * @param q quantile level in (0, 1)
     */
    record Quantile(double q) implements ThresholdSpec {
        /** Validates q. */
        public Quantile {
            require(q > 0 && q < 1, "quantile", q, "0 < q < 1");
        }

        @Override
        public String id() {
            return "quantile:" + q;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            return new Threshold(Quantiles.quantile(scores, q), id(), fittedOn, score);
        }
    }

    /**
     * The expected share c of anomalies: the (1 - c)-quantile of the scores.
     *
     * @param c contamination in (0, 0.5]
     */
    record Contamination(double c) implements ThresholdSpec {
        /** Validates c. */
        public Contamination {
            require(c > 0 && c <= 0.5, "contamination", c, "0 < c <= 0.5");
        }

        @Override
        public String id() {
            return "contamination:" + c;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            return new Threshold(Quantiles.quantile(scores, 1 - c), id(), fittedOn, score);
        }
    }

    /**
     * Mean plus k sample standard deviations of the scores.
     *
     * @param k number of standard deviations (finite, may be negative)
     */
    record Sigma(double k) implements ThresholdSpec {
        /** Validates k. */
        public Sigma {
            require(Double.isFinite(k), "sigma multiple", k, "a finite number");
        }

        @Override
        public String id() {
            return "sigma:" + k;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            Quantiles.sortedFinite(scores);
            return new Threshold(Quantiles.mean(scores) + k * Quantiles.standardDeviation(scores), id(), fittedOn, score);
        }
    }

    /**
     * A value given by the user; fitting ignores the scores.
     *
     * @param value the threshold in nats
     */
    record Fixed(double value) implements ThresholdSpec {
        /** Validates the value. */
        public Fixed {
            require(Double.isFinite(value), "fixed threshold", value, "a finite number");
        }

        @Override
        public String id() {
            return "fixed:" + value;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            return new Threshold(value, id(), "given by the user", score);
        }
    }

    /** The threshold that maximises F1 on labelled scores ({@link BestF1#search}). */
    record BestF1() implements ThresholdSpec {
        @Override
        public String id() {
            return "f1";
        }

        @Override
        public boolean needsLabels() {
            return true;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            if (labels == null) {
                throw new IllegalArgumentException("Threshold 'f1' needs labelled data (a label column)");
            }
            return new Threshold(search(scores, labels), id(), fittedOn, score);
        }

        /**
         * Tries every cut between consecutive distinct scores (flagging all rows above it) and returns the cut of
         * the highest F1, placed midway between the two scores so that it generalises symmetrically.
         *
         * @throws IllegalArgumentException when lengths differ or no row is labelled anomalous
         */
        public static double search(double[] scores, int[] labels) {
            if (scores.length != labels.length) {
                throw new IllegalArgumentException("Scores and labels differ in length: " + scores.length + " vs " + labels.length);
            }
            Quantiles.sortedFinite(scores);
            Integer[] order = new Integer[scores.length];
            long positives = 0;
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
                if (labels[i] != 0) {
                    positives++;
                }
            }
            if (positives == 0) {
                throw new IllegalArgumentException("Threshold 'f1' needs at least one anomaly among the labels");
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            double bestF1 = -1;
            double best = 0;
            long tp = 0;
            int i = 0;
            while (i < order.length) {
                int j = i;
                while (j < order.length && scores[order[j]] == scores[order[i]]) {
                    if (labels[order[j]] != 0) {
                        tp++;
                    }
                    j++;
                }
                long flagged = j;
                double f1 = 2.0 * tp / (flagged + positives);
                if (f1 > bestF1) {
                    bestF1 = f1;
                    double above = scores[order[i]];
                    best = j < order.length ? 0.5 * (above + scores[order[j]]) : Math.nextDown(above);
                }
                i = j;
            }
            return best;
        }
    }

    /**
     * Peaks-Over-Threshold ({@link PeaksOverThreshold}): the score a normal row exceeds with probability q. Parsed
     * from {@code pot:Q[:LEVEL]} or {@code spot:Q[:LEVEL]}; its id is always the {@code pot} form.
     *
     * @param q     risk in (0, 1), e.g. 1e-3
     * @param level initial-threshold quantile level in (0, 1), 0.98 in the paper
     */
    record Pot(double q, double level) implements ThresholdSpec {
        /** Validates q and the level. */
        public Pot {
            require(q > 0 && q < 1, "POT risk", q, "0 < q < 1");
            require(level > 0 && level < 1, "POT level", level, "0 < level < 1");
        }

        @Override
        public String id() {
            return level == PeaksOverThreshold.DEFAULT_LEVEL ? "pot:" + q : "pot:" + q + ":" + level;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            PeaksOverThreshold pot = PeaksOverThreshold.calibrate(scores, q, level);
            return new Threshold(pot.threshold(), id(), fittedOn, score);
        }

        /**
         * Starts a stream (SPOT) calibrated on {@code scores}, with the bounded-memory settings
         * {@link SpotSettings#streaming}.
         *
         * @throws IllegalArgumentException when the scores do not suit calibration
         */
        public PeaksOverThreshold stream(double[] scores) {
            return PeaksOverThreshold.calibrate(scores, SpotSettings.streaming(q, level));
        }
    }

    /**
     * Drift Peaks-Over-Threshold ({@link DriftPeaksOverThreshold}, DSPOT): POT on the residuals of the scores from the
     * mean of the last {@code depth} ones, for a series whose level drifts. Fitting treats the scores as a
     * time-ordered series (the first {@code depth} fill the window) and returns the threshold DSPOT would apply to
     * the next score, {@code M + z_q}, with the paper's settings (every peak kept).
     *
     * @param q     risk in (0, 1), e.g. 1e-3
     * @param depth the drift window's depth d, at least 1 ({@link DriftPeaksOverThreshold#DEFAULT_DEPTH} by default)
     */
    record Dspot(double q, int depth) implements ThresholdSpec {
        /** Validates q and the depth. */
        public Dspot {
            require(q > 0 && q < 1, "DSPOT risk", q, "0 < q < 1");
            require(depth >= 1, "DSPOT depth", depth, "at least 1");
        }

        /** {@code dspot:Q[:DEPTH]} split at its colons; every message names the bad part and the whole text. */
        private static Dspot parse(String[] parts, String text) {
            if (parts.length < 2 || parts.length > 3 || parts[1].isBlank()) {
                throw new IllegalArgumentException("Threshold '" + text + "' needs a risk and optionally a depth,"
                        + " e.g. dspot:0.001 or dspot:0.001:" + DriftPeaksOverThreshold.DEFAULT_DEPTH);
            }
            double q;
            try {
                q = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid risk '" + parts[1] + "' in threshold '" + text
                        + "' (expected a number, 0 < q < 1)");
            }
            int depth = DriftPeaksOverThreshold.DEFAULT_DEPTH;
            if (parts.length == 3) {
                try {
                    depth = Integer.parseInt(parts[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid depth '" + parts[2] + "' in threshold '" + text
                            + "' (expected a whole number, at least 1)");
                }
            }
            return new Dspot(q, depth);
        }

        @Override
        public String id() {
            return depth == DriftPeaksOverThreshold.DEFAULT_DEPTH ? "dspot:" + q : "dspot:" + q + ":" + depth;
        }

        @Override
        public Threshold fit(double[] scores, int @Nullable [] labels, ScoreSettings score, String fittedOn) {
            DriftPeaksOverThreshold dspot = DriftPeaksOverThreshold.calibrate(scores, depth,
                    SpotSettings.paper(q, PeaksOverThreshold.DEFAULT_LEVEL));
            return new Threshold(dspot.threshold(), id(), fittedOn, score);
        }

        /**
         * Starts a stream (DSPOT) calibrated on {@code values} in time order, with the bounded-memory settings
         * {@link SpotSettings#streaming}.
         *
         * @throws IllegalArgumentException when the values do not suit calibration
         */
        public DriftPeaksOverThreshold stream(double[] values) {
            return DriftPeaksOverThreshold.calibrate(values, depth,
                    SpotSettings.streaming(q, PeaksOverThreshold.DEFAULT_LEVEL));
        }
    }
}
