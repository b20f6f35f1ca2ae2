package dev.vae.train;

import dev.vae.core.nn.Architecture;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one description of each training option: its name as on the command line, its default as typed there, a
 * one-line doc and the accepted range. {@link TrainingConfig} takes its defaults and the ranges of its messages from
 * here, {@code vae train} its {@code defaultValue}s, the Tribuo trainer its {@code @Config} descriptions and the
 * Spark estimator its Param docs, so a new option is described once. The texts are {@code static final String}
 * constants because annotations (picocli's, OLCUT's) accept nothing else.
 */
public final class TrainingOptions {

    /**
     * One training option.
     *
     * @param name         the option as on the command line, e.g. {@code --epochs}
     * @param defaultValue the default as typed on the command line; null when it follows the data or the machine
     * @param doc          one sentence saying what it does
     * @param range        the accepted values, as the validation messages state them
     */
    public record Description(String name, @Nullable String defaultValue, String doc, String range) {
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
    /** Doc of {@code --threads}. */
    public static final String THREADS_DOC = "Threads computing each minibatch's gradient; unset = the available"
            + " processors, at most 2.";

    /** {@code --model-type}. */
    public static final Description MODEL_TYPE = new Description("--model-type", MODEL_TYPE_DEFAULT, MODEL_TYPE_DOC, "vae|ae");
    /** {@code --activation}. */
    public static final Description ACTIVATION = new Description("--activation", ACTIVATION_DEFAULT, ACTIVATION_DOC,
            "relu|tanh|sigmoid|identity");
    /** {@code --hidden}. */
    public static final Description HIDDEN = new Description("--hidden", null, HIDDEN_DOC, "each 1.." + Architecture.MAX_WIDTH);
    /** {@code --latent}. */
    public static final Description LATENT = new Description("--latent", LATENT_DEFAULT, LATENT_DOC, "0.." + Architecture.MAX_WIDTH);
    /** {@code --likelihood}. */
    public static final Description LIKELIHOOD = new Description("--likelihood", null, LIKELIHOOD_DOC, "a likelihood id");
    /** {@code --epochs}. */
    public static final Description EPOCHS = new Description("--epochs", EPOCHS_DEFAULT, EPOCHS_DOC, "1..1000000");
    /** {@code --batch}. */
    public static final Description BATCH = new Description("--batch", BATCH_DEFAULT, BATCH_DOC, "1..1048576");
    /** {@code --learning-rate}. */
    public static final Description LEARNING_RATE = new Description("--learning-rate", LEARNING_RATE_DEFAULT,
            LEARNING_RATE_DOC, "0 < lr <= 10");
    /** {@code --beta}. */
    public static final Description BETA = new Description("--beta", BETA_DEFAULT, BETA_DOC, "0 <= beta <= 1e6");
    /** {@code --seed}. */
    public static final Description SEED = new Description("--seed", SEED_DEFAULT, SEED_DOC, "any long");
    /** {@code --validation-fraction}. */
    public static final Description VALIDATION_FRACTION = new Description("--validation-fraction",
            VALIDATION_FRACTION_DEFAULT, VALIDATION_FRACTION_DOC, "0 <= f < 1");
    /** {@code --patience}. */
    public static final Description PATIENCE = new Description("--patience", PATIENCE_DEFAULT, PATIENCE_DOC, ">= 0");
    /** {@code --validation-seed}. */
    public static final Description VALIDATION_SEED = new Description("--validation-seed", null, VALIDATION_SEED_DOC,
            "any long");
    /** {@code --kl-warmup}. */
    public static final Description KL_WARMUP = new Description("--kl-warmup", KL_WARMUP_DEFAULT, KL_WARMUP_DOC, ">= 0");
    /** {@code --clip-norm}. */
    public static final Description CLIP_NORM = new Description("--clip-norm", CLIP_NORM_DEFAULT, CLIP_NORM_DOC,
            ">= 0, 0 = off");
    /** {@code --trim}: {@code auto[:F]} (adaptive, at most F) or {@code F} (exactly F). */
    public static final Description TRIM = new Description("--trim", TRIM_DEFAULT,
            TRIM_FRACTION_DOC + " " + TRIM_ADAPTIVE_DOC, "0 <= f < 0.5, 0 = off");
    /** {@code --trim-warmup}. */
    public static final Description TRIM_WARMUP = new Description("--trim-warmup", TRIM_WARMUP_DEFAULT, TRIM_WARMUP_DOC,
            ">= 0");
    /** {@code --threads}. */
    public static final Description THREADS = new Description("--threads", null, THREADS_DOC,
            "1.." + TrainingConfig.MAX_THREADS);

    private static final List<Description> ALL = List.of(MODEL_TYPE, ACTIVATION, HIDDEN, LATENT, LIKELIHOOD, EPOCHS,
            BATCH, LEARNING_RATE, BETA, SEED, VALIDATION_FRACTION, PATIENCE, VALIDATION_SEED, KL_WARMUP, CLIP_NORM,
            TRIM, TRIM_WARMUP, THREADS);

    private TrainingOptions() {
    }

    /** Every training option, in the order of {@code vae train}'s source. */
    public static List<Description> all() {
        return ALL;
    }

    /** The option called {@code name} on the command line (e.g. {@code --epochs}), if it is a training option. */
    public static Optional<Description> named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
