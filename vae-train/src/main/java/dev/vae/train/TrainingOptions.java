package dev.vae.train;

import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The one description of each training option: its name as on the command line, its default as typed there, a
 * one-line doc, the accepted range (a {@link Range} for numbers), how its value is written and typed, and which {@link TrainingConfig.Builder}
 * setting it sets. {@link TrainingConfig} takes its defaults and its range checks from here, {@code vae
 * train} generates its training options from {@link #all()}, the Tribuo trainer takes its {@code @Config}
 * descriptions and the Spark estimator its Param docs and validators, so a new option is described once. The texts are
 * {@code static final String} constants because annotations (OLCUT's) accept nothing else.
 */
public final class TrainingOptions {

    /**
     * The values a numeric option accepts: an interval whose ends may each be open, closed or absent (infinite), of
     * whole or real numbers. Its text is what the validation messages print after "expected": {@code 1..1000000} for
     * whole numbers between two ends, {@code >= 0} for whole or real numbers without an upper end, and
     * {@code 0 < lr <= 10} for real numbers between two ends, with the option's symbol; a note (such as
     * {@code 0 = off}) follows a comma. Serializable, so that validators built from it (Spark's) are.
     *
     * @param min          the lower end; {@code -Infinity} for none
     * @param minInclusive whether {@code min} itself is accepted
     * @param max          the upper end; {@code Infinity} for none
     * @param maxInclusive whether {@code max} itself is accepted
     * @param whole        whether the values are whole numbers (then both ends, when present, are accepted)
     * @param symbol       how the text names a value between two real ends, e.g. {@code lr}; empty for whole numbers
     * @param note         what the text adds after a comma, e.g. {@code 0 = off}; empty for nothing
     */
    public record Range(double min, boolean minInclusive, double max, boolean maxInclusive, boolean whole,
                        String symbol, String note) implements Serializable {

        /** Checks that the ends are ordered, not NaN, and that a range of whole numbers includes its ends. */
        public Range {
            if (!(min <= max)) {
                throw new IllegalArgumentException("Invalid range: lower end " + min + " above upper end " + max);
            }
            if (whole && (Double.isFinite(min) && (!minInclusive || min != Math.rint(min))
                    || Double.isFinite(max) && (!maxInclusive || max != Math.rint(max)))) {
                throw new IllegalArgumentException("Invalid range of whole numbers: its ends must be whole and"
                        + " included, got " + min + " and " + max);
            }
        }

        /** The whole numbers from {@code min} to {@code max}, both included. */
        public static Range wholeNumbers(long min, long max) {
            return new Range(min, true, max, true, true, "", "");
        }

        /** The whole numbers from {@code min} up, with no upper end. */
        public static Range wholeAtLeast(long min) {
            return new Range(min, true, Double.POSITIVE_INFINITY, false, true, "", "");
        }

        /** Every whole number (a seed). */
        public static Range anyWholeNumber() {
            return new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false, true, "", "");
        }

        /** The finite real numbers from {@code min} up (included). */
        public static Range realAtLeast(double min) {
            return new Range(min, true, Double.POSITIVE_INFINITY, false, false, "", "");
        }

        /** The real numbers between {@code min} and {@code max}, written {@code symbol} in the text. */
        public static Range real(String symbol, double min, boolean minInclusive, double max, boolean maxInclusive) {
            return new Range(min, minInclusive, max, maxInclusive, false, symbol, "");
        }

        /** This range with its values written {@code text} between two real ends. */
        public Range withSymbol(String text) {
            return new Range(min, minInclusive, max, maxInclusive, whole, text, note);
        }

        /** This range with {@code text} added to its text after a comma. */
        public Range withNote(String text) {
            return new Range(min, minInclusive, max, maxInclusive, whole, symbol, text);
        }

        /** Whether {@code value} is in the range; NaN never is. */
        public boolean contains(double value) {
            return (minInclusive ? value >= min : value > min) && (maxInclusive ? value <= max : value < max);
        }

        /** The range as the validation messages print it, e.g. {@code 1..1000000} or {@code 0 <= f < 1}. */
        @Override
        public String toString() {
            boolean low = Double.isFinite(min);
            boolean high = Double.isFinite(max);
            String text;
            if (low && high) {
                text = whole ? number(min) + ".." + number(max)
                        : number(min) + (minInclusive ? " <= " : " < ") + symbol + (maxInclusive ? " <= " : " < ")
                        + number(max);
            } else if (low) {
                text = (minInclusive ? ">= " : "> ") + number(min);
            } else if (high) {
                text = (maxInclusive ? "<= " : "< ") + number(max);
            } else {
                text = whole ? "any whole number" : "any number";
            }
            return note.isEmpty() ? text : text + ", " + note;
        }

        /** A number as a person writes it: no trailing {@code .0}, no exponent. */
        private static String number(double x) {
            return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * One training option.
     *
     * @param name         the option as on the command line, e.g. {@code --epochs}
     * @param defaultValue the default as typed on the command line; null when it follows the data or the machine
     * @param doc          one sentence saying what it does
     * @param range        the accepted values, as the validation messages state them
     * @param bounds       the accepted numbers: of the value when it is a number, of each element when it is an array
     *                     of numbers, of the number in the text when the setter parses one; null for an option
     *                     without numbers
     * @param valueLabel   how a value is written, e.g. {@code N} for a count or {@code F} for a real number
     * @param type         the type a value is converted to from its text: a boxed number, {@code String} for a
     *                     value with its own syntax (parsed by {@code setter}), or an array of values separated by
     *                     commas
     * @param setter       sets the value on a builder; it parses and checks a text value, naming the option
     * @param <T>          the value's type
     */
    public record Description<T>(String name, @Nullable String defaultValue, String doc, String range,
                                 @Nullable Range bounds, String valueLabel, Class<T> type,
                                 BiConsumer<TrainingConfig.Builder, T> setter) {

        /** An option whose accepted values are {@code bounds}, stated as its text. */
        public Description(String name, @Nullable String defaultValue, String doc, Range bounds, String valueLabel,
                           Class<T> type, BiConsumer<TrainingConfig.Builder, T> setter) {
            this(name, defaultValue, doc, bounds.toString(), bounds, valueLabel, type, setter);
        }

        /**
         * Sets {@code value} on {@code builder}; null (an option without default that was not given) leaves the
         * builder's own default, which follows the data or the machine.
         *
         * @throws ClassCastException       when {@code value} is not of {@link #type()}
         * @throws IllegalArgumentException when a text value does not parse
         */
        public void apply(TrainingConfig.Builder builder, @Nullable Object value) {
            if (value != null) {
                setter.accept(builder, type.cast(value));
            }
        }

        /**
         * Checks a number, or each number of an array of them, against {@link #bounds()}, so that the message names
         * the option: {@code Invalid --epochs: 0 (expected 1..1000000)}. Null (an option not given) and values
         * that are not numbers (text the setter parses and checks) pass.
         *
         * @throws IllegalArgumentException naming the option, the value and the range, when a number is outside
         */
        public void checkRange(@Nullable Object value) {
            if (bounds == null || value == null) {
                return;
            }
            if (value instanceof Number n) {
                checkNumber(n);
            } else if (value instanceof int[] values) {
                for (int v : values) {
                    checkNumber(v);
                }
            } else if (value instanceof long[] values) {
                for (long v : values) {
                    checkNumber(v);
                }
            } else if (value instanceof double[] values) {
                for (double v : values) {
                    checkNumber(v);
                }
            }
        }

        private void checkNumber(Number n) {
            if (bounds != null && !bounds.contains(n.doubleValue())) {
                throw new IllegalArgumentException("Invalid " + name + ": " + n + " (expected " + bounds + ")");
            }
        }
    }

    /** Default of {@code --model-type}. */
    public static final String MODEL_TYPE_DEFAULT = "vae";
    /** Doc of {@code --model-type}. */
    public static final String MODEL_TYPE_DOC = "Model type: vae or ae (a plain autoencoder).";
    /** Default of {@code --activation}. */
    public static final String ACTIVATION_DEFAULT = "tanh";
    /** Doc of {@code --activation}. */
    public static final String ACTIVATION_DOC = "Hidden-layer activation: relu, tanh, sigmoid or identity.";
    /** Doc of {@code --hidden}. */
    public static final String HIDDEN_DOC = "Encoder hidden widths (the decoder mirrors them); empty adapts to the data.";
    /** Default of {@code --latent}. */
    public static final String LATENT_DEFAULT = "0";
    /** Doc of {@code --latent}. */
    public static final String LATENT_DOC = "Latent dimension; 0 adapts to the data.";
    /** Doc of {@code --likelihood}. */
    public static final String LIKELIHOOD_DOC = "The likelihood of a row given the decoder's output; unset takes the"
            + " measured default.";
    /** Default of {@code --epochs}. */
    public static final String EPOCHS_DEFAULT = "100";
    /** Doc of {@code --epochs}. */
    public static final String EPOCHS_DOC = "Maximum number of epochs.";
    /** Default of {@code --batch}. */
    public static final String BATCH_DEFAULT = "128";
    /** Doc of {@code --batch}. */
    public static final String BATCH_DOC = "Rows per minibatch.";
    /** Default of {@code --learning-rate}. */
    public static final String LEARNING_RATE_DEFAULT = "0.001";
    /** Doc of {@code --learning-rate}. */
    public static final String LEARNING_RATE_DOC = "Adam's learning rate.";
    /** Default of {@code --beta}. */
    public static final String BETA_DEFAULT = "1.0";
    /** Doc of {@code --beta}. */
    public static final String BETA_DOC = "Weight of the KL term; 1 is the true ELBO.";
    /** Default of {@code --seed}. */
    public static final String SEED_DEFAULT = "42";
    /** Doc of {@code --seed}. */
    public static final String SEED_DOC = "Seed of every random choice.";
    /** Default of {@code --validation-fraction}. */
    public static final String VALIDATION_FRACTION_DEFAULT = "0.1";
    /** Doc of {@code --validation-fraction}. */
    public static final String VALIDATION_FRACTION_DOC = "Share of rows held out for validation and early stopping.";
    /** Default of {@code --patience}. */
    public static final String PATIENCE_DEFAULT = "10";
    /** Doc of {@code --patience}. */
    public static final String PATIENCE_DOC = "Epochs without validation improvement before stopping; 0 = never.";
    /** Doc of {@code --validation-seed}. */
    public static final String VALIDATION_SEED_DOC = "Seed of the validation split alone; unset = derived from the seed.";
    /** Default of {@code --kl-warmup}. */
    public static final String KL_WARMUP_DEFAULT = "0";
    /** Doc of {@code --kl-warmup}. */
    public static final String KL_WARMUP_DOC = "Epochs over which beta rises linearly to its value; 0 = off.";
    /** Default of {@code --clip-norm}. */
    public static final String CLIP_NORM_DEFAULT = "0";
    /** Doc of {@code --clip-norm}. */
    public static final String CLIP_NORM_DOC = "Largest global L2 norm of a minibatch gradient (larger ones are scaled"
            + " down to it); 0 = off.";
    /** Default of {@code --trim}: adaptive, at most {@link TrainingConfig#DEFAULT_TRIM_FRACTION}. */
    public static final String TRIM_DEFAULT = "auto:" + TrainingConfig.DEFAULT_TRIM_FRACTION;
    /** Doc of the trimmed share, {@code F} of {@code --trim}. */
    public static final String TRIM_FRACTION_DOC = "Trimmed-loss training: the share of highest-loss rows left out of"
            + " each epoch's gradient after the warm-up, or its cap when adaptive; 0 = off.";
    /** Doc of adaptive trimming, {@code auto} of {@code --trim}. */
    public static final String TRIM_ADAPTIVE_DOC = "Whether the trimmed share follows the split of each epoch's row"
            + " losses, up to the trim fraction.";
    /** Default of {@code --trim-warmup}. */
    public static final String TRIM_WARMUP_DEFAULT = "5";
    /** Doc of {@code --trim-warmup}. */
    public static final String TRIM_WARMUP_DOC = "Epochs trained on every row before trimming starts.";
    /** Default of {@code --ensemble}. */
    public static final String ENSEMBLE_DEFAULT = "1";
    /** Doc of {@code --ensemble}. */
    public static final String ENSEMBLE_DOC = "Networks trained on the same rows with different seeds, the model's score"
            + " the mean of theirs, in nats (an ensemble: N times the training and the scoring); 1 = one VAE.";
    /** Doc of {@code --threads}. */
    public static final String THREADS_DOC = "Threads computing each minibatch's gradient; unset = the available"
            + " processors, at most 2.";

    /** Range of {@code --hidden}'s widths. */
    public static final Range HIDDEN_RANGE = Range.wholeNumbers(1, Architecture.MAX_WIDTH);
    /** Range of {@code --latent}. */
    public static final Range LATENT_RANGE = Range.wholeNumbers(0, Architecture.MAX_WIDTH);
    /** Range of {@code --epochs}. */
    public static final Range EPOCHS_RANGE = Range.wholeNumbers(1, 1_000_000);
    /** Range of {@code --batch}. */
    public static final Range BATCH_RANGE = Range.wholeNumbers(1, 1 << 20);
    /** Range of {@code --learning-rate}. */
    public static final Range LEARNING_RATE_RANGE = Range.real("lr", 0, false, 10, true);
    /** Range of {@code --beta}. */
    public static final Range BETA_RANGE = Range.real("beta", 0, true, 1e6, true);
    /** Range of {@code --seed} and {@code --validation-seed}. */
    public static final Range SEED_RANGE = Range.anyWholeNumber();
    /** Range of {@code --validation-fraction}. */
    public static final Range VALIDATION_FRACTION_RANGE = Range.real("f", 0, true, 1, false);
    /** Range of {@code --patience}. */
    public static final Range PATIENCE_RANGE = Range.wholeAtLeast(0);
    /** Range of {@code --kl-warmup}. */
    public static final Range KL_WARMUP_RANGE = Range.wholeAtLeast(0);
    /** Range of {@code --clip-norm}: finite. */
    public static final Range CLIP_NORM_RANGE = Range.realAtLeast(0).withNote("0 = off");
    /** Range of the trimmed share, {@code F} of {@code --trim}. */
    public static final Range TRIM_FRACTION_RANGE = Range.real("f", 0, true, 0.5, false).withNote("0 = off");
    /** Range of {@code --trim-warmup}. */
    public static final Range TRIM_WARMUP_RANGE = Range.wholeAtLeast(0);
    /** Range of {@code --ensemble}. */
    public static final Range ENSEMBLE_RANGE = Range.wholeNumbers(1, 16);
    /** Range of {@code --threads}. */
    public static final Range THREADS_RANGE = Range.wholeNumbers(1, TrainingConfig.MAX_THREADS);

    /** {@code --model-type}. */
    public static final Description<String> MODEL_TYPE = new Description<>("--model-type", MODEL_TYPE_DEFAULT,
            MODEL_TYPE_DOC, "vae|ae", null, "vae|ae", String.class, (b, t) -> b.modelType(ModelType.parse(t)));
    /** {@code --activation}. */
    public static final Description<String> ACTIVATION = new Description<>("--activation", ACTIVATION_DEFAULT,
            ACTIVATION_DOC, "relu|tanh|sigmoid|identity", null, "NAME", String.class,
            (b, a) -> b.activation(Activation.parse(a)));
    /** {@code --hidden}. */
    public static final Description<int[]> HIDDEN = new Description<>("--hidden", null, HIDDEN_DOC,
            "each " + HIDDEN_RANGE, HIDDEN_RANGE, "64,32", int[].class,
            (b, widths) -> b.hidden(IntStream.of(widths).boxed().toList()));
    /** {@code --latent}. */
    public static final Description<Integer> LATENT = new Description<>("--latent", LATENT_DEFAULT, LATENT_DOC,
            LATENT_RANGE, "K", Integer.class, TrainingConfig.Builder::latent);
    /** {@code --likelihood}. */
    public static final Description<String> LIKELIHOOD = new Description<>("--likelihood", null, LIKELIHOOD_DOC,
            "a likelihood id", null, "NAME", String.class, (b, l) -> b.likelihood(Likelihoods.parse(l)));
    /** {@code --epochs}. */
    public static final Description<Integer> EPOCHS = new Description<>("--epochs", EPOCHS_DEFAULT, EPOCHS_DOC,
            EPOCHS_RANGE, "N", Integer.class, TrainingConfig.Builder::epochs);
    /** {@code --batch}. */
    public static final Description<Integer> BATCH = new Description<>("--batch", BATCH_DEFAULT, BATCH_DOC,
            BATCH_RANGE, "B", Integer.class, TrainingConfig.Builder::batchSize);
    /** {@code --learning-rate}. */
    public static final Description<Double> LEARNING_RATE = new Description<>("--learning-rate", LEARNING_RATE_DEFAULT,
            LEARNING_RATE_DOC, LEARNING_RATE_RANGE, "F", Double.class, TrainingConfig.Builder::learningRate);
    /** {@code --beta}. */
    public static final Description<Double> BETA = new Description<>("--beta", BETA_DEFAULT, BETA_DOC, BETA_RANGE,
            "F", Double.class, TrainingConfig.Builder::beta);
    /** {@code --seed}. */
    public static final Description<Long> SEED = new Description<>("--seed", SEED_DEFAULT, SEED_DOC, "any long",
            SEED_RANGE, "S", Long.class, TrainingConfig.Builder::seed);
    /** {@code --validation-fraction}. */
    public static final Description<Double> VALIDATION_FRACTION = new Description<>("--validation-fraction",
            VALIDATION_FRACTION_DEFAULT, VALIDATION_FRACTION_DOC, VALIDATION_FRACTION_RANGE, "F", Double.class,
            TrainingConfig.Builder::validationFraction);
    /** {@code --patience}. */
    public static final Description<Integer> PATIENCE = new Description<>("--patience", PATIENCE_DEFAULT, PATIENCE_DOC,
            PATIENCE_RANGE, "N", Integer.class, TrainingConfig.Builder::patience);
    /** {@code --validation-seed}. */
    public static final Description<Long> VALIDATION_SEED = new Description<>("--validation-seed", null,
            VALIDATION_SEED_DOC, "any long", SEED_RANGE, "S", Long.class, TrainingConfig.Builder::validationSeed);
    /** {@code --kl-warmup}. */
    public static final Description<Integer> KL_WARMUP = new Description<>("--kl-warmup", KL_WARMUP_DEFAULT,
            KL_WARMUP_DOC, KL_WARMUP_RANGE, "N", Integer.class, TrainingConfig.Builder::klWarmupEpochs);
    /** {@code --clip-norm}. */
    public static final Description<Double> CLIP_NORM = new Description<>("--clip-norm", CLIP_NORM_DEFAULT,
            CLIP_NORM_DOC, CLIP_NORM_RANGE, "F", Double.class, TrainingConfig.Builder::clipNorm);
    /** {@code --trim}: {@code auto[:F]} (adaptive, at most F) or {@code F} (exactly F); see {@link #setTrim}. */
    public static final Description<String> TRIM = new Description<>("--trim", TRIM_DEFAULT,
            TRIM_FRACTION_DOC + " " + TRIM_ADAPTIVE_DOC, TRIM_FRACTION_RANGE, "auto[:F]|F", String.class,
            TrainingOptions::setTrim);
    /** {@code --trim-warmup}. */
    public static final Description<Integer> TRIM_WARMUP = new Description<>("--trim-warmup", TRIM_WARMUP_DEFAULT,
            TRIM_WARMUP_DOC, TRIM_WARMUP_RANGE, "N", Integer.class, TrainingConfig.Builder::trimWarmupEpochs);
    /** {@code --ensemble}. */
    public static final Description<Integer> ENSEMBLE = new Description<>("--ensemble", ENSEMBLE_DEFAULT, ENSEMBLE_DOC,
            ENSEMBLE_RANGE, "N", Integer.class, TrainingConfig.Builder::members);
    /** {@code --threads}. */
    public static final Description<Integer> THREADS = new Description<>("--threads", null, THREADS_DOC,
            THREADS_RANGE, "N", Integer.class, TrainingConfig.Builder::threads);

    // The order of vae train's help.
    private static final List<Description<?>> ALL = List.of(MODEL_TYPE, LIKELIHOOD, HIDDEN, ACTIVATION, LATENT, EPOCHS,
            BATCH, LEARNING_RATE, BETA, SEED, VALIDATION_FRACTION, PATIENCE, VALIDATION_SEED, KL_WARMUP, CLIP_NORM,
            TRIM, TRIM_WARMUP, ENSEMBLE, THREADS);

    private TrainingOptions() {
    }

    /** Every training option, in the order of {@code vae train}'s help (which generates its options from this list). */
    public static List<Description<?>> all() {
        return ALL;
    }

    /** The option called {@code name} on the command line (e.g. {@code --epochs}), if it is a training option. */
    public static Optional<Description<?>> named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * Sets trimmed-loss training from {@code --trim}'s text: {@code auto} (adaptive, at most
     * {@link TrainingConfig#DEFAULT_TRIM_FRACTION}), {@code auto:F} (adaptive, at most F) or {@code F} (exactly F).
     *
     * @throws IllegalArgumentException naming {@code --trim} and the text when it does not parse or F is not in
     *                                  [0, 0.5)
     */
    static void setTrim(TrainingConfig.Builder builder, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        boolean adaptive = t.equals("auto") || t.startsWith("auto:");
        double fraction;
        try {
            fraction = t.equals("auto") ? TrainingConfig.DEFAULT_TRIM_FRACTION
                    : Double.parseDouble(adaptive ? t.substring("auto:".length()) : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid --trim: '" + text + "' (expected auto, auto:F or F, 0 <= F < 0.5)");
        }
        // Checked here too, so that the message names the option and its text rather than the builder's field.
        if (!TRIM_FRACTION_RANGE.contains(fraction)) {
            throw new IllegalArgumentException("Invalid --trim: " + text + " (expected "
                    + TRIM_FRACTION_RANGE.withSymbol("F") + ")");
        }
        builder.trimFraction(fraction).trimAdaptive(adaptive);
    }
}
