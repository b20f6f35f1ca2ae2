package dev.vae.bench.quality;

import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Architecture;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One training recipe the suite measures, applied unchanged to every set (no per-set tuning).
 *
 * @param name       the spec it was parsed from, as typed
 * @param config     the trainer's configuration; its seed is replaced by the fold seed of each run
 * @param scaling    null = the likelihood's own scaling (the library's path); otherwise the suite scales the rows
 *                   itself ({@code standard}, {@code robust}, {@code mad}, {@code r90}, {@code quantile}: see
 *                   {@link Preprocessing#fitScaling})
 *                   and the trainer leaves them as they are
 * @param ensemble   networks of the library's ensemble ({@code TrainingConfig.members}) trained per run, the model's
 *                   score the mean of theirs; 1 = one network
 * @param dequantise add U(-1/2, 1/2) noise once to the training rows of integer-valued columns
 * @param mixture    one model per likelihood, negative ELBOs averaged by the suite; empty = one model (of
 *                   {@code ensemble} networks)
 * @param hiddenPerRow cap on the default hidden width, as a multiple of the training rows; 0 = no cap
 * @param rowsPerFeature stress test of small samples: the training rows cut to a seeded random subset of at most
 *                   this many rows per column (at least 8 rows); 0 = every training row
 * @param spikes     stress test of near-constant columns: this many columns of noise appended to every row, training
 *                   and test alike, each 0 in 99% of the rows and otherwise a random integer 1..16 (independent of
 *                   the labels); 0 = none
 * @param threshold  how the run's threshold is fitted on the validation rows, whose test flags the suite measures:
 *                   {@link ThresholdSpec#defaults()} unless {@code th=} names another
 */
public record Candidate(String name, TrainingConfig config, @Nullable String scaling, int ensemble, boolean dequantise,
                        List<Likelihood> mixture, double hiddenPerRow, double rowsPerFeature, int spikes,
                        ThresholdSpec threshold) {

    /** The spec of the library's defaults. */
    public static final String DEFAULTS = "defaults";

    /** Validates the benchmark-side options. */
    public Candidate {
        if (spikes < 0 || spikes > 1000) {
            throw new IllegalArgumentException("Invalid spike columns: " + spikes + " (expected 0..1000)");
        }
        if (ensemble < 1) {
            throw new IllegalArgumentException("Invalid ensemble size: " + ensemble + " (expected >= 1)");
        }
        mixture = List.copyOf(mixture);
        if (scaling != null && !Preprocessing.SCALING_KINDS.contains(scaling)) {
            throw new IllegalArgumentException("Unknown scaling '" + scaling + "' in candidate '" + name
                    + "' (expected one of " + Preprocessing.SCALING_KINDS + ")");
        }
    }

    /**
     * A candidate from a compact spec of {@code /}-separated keys over the library's defaults, e.g.
     * {@code lik=gaussian/trim=0} or {@code h=2/k=4/e=100/a=relu}. {@code defaults} (or an empty spec) is
     * {@link TrainingConfig#defaults()} unchanged (what {@code vae train --label-column label} trains) except for one
     * trainer thread, so that results are bit-reproducible whatever else runs. Keys:
     * <ul>
     *   <li>{@code lik=ID}: a likelihood as {@code vae train --likelihood} reads it, e.g. {@code gaussian},
     *       {@code gaussian-fixed:0.25}, {@code gaussian:logvar-bound=5};</li>
     *   <li>{@code h=M}: one hidden layer of width M x d (clamped to 16..512); {@code h2=M}: two, M x d and half;</li>
     *   <li>{@code k=Q}: latent dimension d / Q (clamped to 2..32); {@code lat=N}: latent dimension N;</li>
     *   <li>{@code e=N} epochs, {@code p=N} patience, {@code b=N} batch, {@code lr=F}, {@code beta=F},
     *       {@code a=relu|tanh|...} activation;</li>
     *   <li>{@code trim=F} the trimmed-loss share, {@code ta=0|1} fixed or adaptive, {@code tw=N} its warm-up epochs;</li>
     *   <li>benchmark-side: {@code sc=standard|robust|mad|r90} linear scaling or {@code sc=quantile} the rank-Gauss
     *       transform ({@link QuantileScaling}), done here, {@code ens=N} an ensemble,
     *       {@code dq=1} dequantisation of integer columns, {@code mix=ID+ID+...} one member per likelihood (each
     *       with its own scaling), their negative ELBOs averaged: still nats, the negative log of the geometric mean
     *       of the members' bounds; {@code hn=F} caps the default hidden width 2d at F x the training rows;
     *       {@code sub=F} trains on a seeded random subset of at most F x d training rows (a small-sample stress
     *       test: the tiny-n, large-d regime on sets that are not in it);</li>
     *   <li>{@code spike=K}: a stress test of near-constant columns, K columns of noise appended to every row (0 in
     *       99% of the rows, else an integer 1..16), the kind of column issue 17 names ("counts that are almost
     *       always zero"); a detector robust to them ranks as without them;</li>
     *   <li>{@code th=SPEC}: the threshold whose flags the suite measures, as {@code vae train --threshold} reads it
     *       (e.g. {@code th=sigma:3}, {@code th=pot:0.01}); the default's when absent. It changes no score.</li>
     * </ul>
     *
     * @param spec the spec
     * @param d    the data's width (h, h2 and k are relative to it)
     * @throws IllegalArgumentException naming an unknown key or a bad value
     */
    public static Candidate parse(String spec, int d) {
        TrainingConfig.Builder b = TrainingConfig.defaults().toBuilder().threads(1);
        String scaling = null;
        int ensemble = 1;
        boolean dequantise = false;
        Likelihood lik = null;
        List<Likelihood> mixture = List.of();
        double hiddenPerRow = 0;
        double rowsPerFeature = 0;
        int spikes = 0;
        ThresholdSpec threshold = ThresholdSpec.defaults();
        String trimmed = spec.trim();
        if (!trimmed.isEmpty() && !trimmed.equals(DEFAULTS)) {
            for (String kv : trimmed.split("/")) {
                if (kv.equals(DEFAULTS)) {
                    continue;
                }
                String[] p = kv.split("=", 2);
                if (p.length != 2 || p[1].isEmpty()) {
                    throw new IllegalArgumentException("Expected key=value in candidate '" + spec + "', got '" + kv + "'");
                }
                String v = p[1];
                try {
                    switch (p[0]) {
                        case "lik" -> lik = Likelihoods.parse(v);
                        case "h" -> b.hidden(List.of(width(v, d)));
                        case "h2" -> {
                            int h = width(v, d);
                            b.hidden(List.of(h, Math.max(8, h / 2)));
                        }
                        case "k" -> b.latent(Math.max(2, Math.min(32, (int) (d / Double.parseDouble(v)))));
                        case "lat" -> b.latent(Integer.parseInt(v));
                        case "e" -> b.epochs(Integer.parseInt(v));
                        case "p" -> b.patience(Integer.parseInt(v));
                        case "b" -> b.batchSize(Integer.parseInt(v));
                        case "lr" -> b.learningRate(Double.parseDouble(v));
                        case "beta" -> b.beta(Double.parseDouble(v));
                        case "a" -> b.activation(Activation.valueOf(v.toUpperCase(Locale.ROOT)));
                        case "trim" -> b.trimFraction(Double.parseDouble(v));
                        case "tw" -> b.trimWarmupEpochs(Integer.parseInt(v));
                        case "ta" -> b.trimAdaptive(!v.equals("0"));
                        case "sc" -> scaling = v;
                        case "ens" -> ensemble = Integer.parseInt(v);
                        case "dq" -> dequantise = !v.equals("0");
                        case "hn" -> hiddenPerRow = Double.parseDouble(v);
                        case "sub" -> rowsPerFeature = Double.parseDouble(v);
                        case "th" -> threshold = ThresholdSpec.parse(v);
                        case "spike" -> spikes = Integer.parseInt(v);
                        case "mix" -> mixture = java.util.Arrays.stream(v.split("\\+")).map(Likelihoods::parse).toList();
                        default -> throw new IllegalArgumentException("Unknown candidate key '" + p[0] + "' in '" + spec
                                + "' (expected lik, h, h2, k, lat, e, p, b, lr, beta, a, trim, tw, ta, sc, ens, dq, hn, sub, spike, mix or th)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid value '" + v + "' of key " + p[0] + " in '" + spec + "'", e);
                }
            }
        }
        // The trainer must not scale rows the suite has scaled: an explicit likelihood is wrapped here, the default
        // one in members(), once the training rows it depends on are known.
        b.likelihood(scaling != null && lik != null ? new Prescaled(lik) : lik);
        if (!mixture.isEmpty() && (scaling != null || ensemble != 1)) {
            throw new IllegalArgumentException("mix= takes neither sc= nor ens= in '" + spec + "'");
        }
        return new Candidate(spec, b.build(), scaling, ensemble, dequantise, mixture, hiddenPerRow, rowsPerFeature,
                spikes, threshold);
    }

    /**
     * The configurations of the members trained per run on {@code train} (the rows as the members see them):
     * one config (of {@link #ensemble()} networks), or one per likelihood of the {@link #mixture()}, each seeded by
     * {@code VaeTrainer.memberSeed}.
     */
    public List<TrainingConfig> members(long seed, Table train) {
        int rows = train.rows();
        int d = train.width();
        List<TrainingConfig> out = new java.util.ArrayList<>();
        TrainingConfig config = this.config;
        if (hiddenPerRow > 0) {
            // The default width, 2d in 16..512, capped at hiddenPerRow x the training rows.
            int h = Math.max(16, Math.min(Math.min(512, 2 * d), (int) Math.round(hiddenPerRow * rows)));
            config = config.toBuilder().hidden(List.of(h)).build();
        }
        if (scaling != null && config.likelihood() == null) {
            // Scaling keeps which value a column holds in most rows, so the table's default is the trainer's.
            config = config.toBuilder().likelihood(new Prescaled(Architecture.defaultLikelihood(train))).build();
        }
        if (mixture.isEmpty()) {
            // ens=N is the library's ensemble: one model of N networks, scored and thresholded through it.
            out.add(config.toBuilder().seed(seed).members(ensemble).build());
            return out;
        }
        for (int m = 0; m < mixture.size(); m++) {
            out.add(config.toBuilder().seed(VaeTrainer.memberSeed(seed, m)).likelihood(mixture.get(m)).build());
        }
        return out;
    }

    /** This candidate with at most {@code epochs} epochs (the suite's warm-up and {@code --image-epochs}). */
    public Candidate withEpochs(int epochs) {
        return new Candidate(name, config.withEpochs(epochs), scaling, ensemble, dequantise, mixture, hiddenPerRow,
                rowsPerFeature, spikes, threshold);
    }

    /** Whether this is the library's defaults. */
    public boolean isDefaults() {
        return isDefaults(name);
    }

    /** Whether {@code spec} names the library's defaults ({@code defaults} or empty). */
    public static boolean isDefaults(String spec) {
        String t = spec.trim();
        return t.isEmpty() || t.equals(DEFAULTS);
    }

    private static int width(String multiple, int d) {
        return Math.max(16, Math.min(512, (int) Math.round(Double.parseDouble(multiple) * d)));
    }

    /**
     * A likelihood whose rows the suite has already scaled: it reports {@link ScalingKind#NONE}, so the trainer fits
     * an identity scaler, and otherwise is {@code inner}.
     *
     * @param inner the likelihood that models the scaled rows
     */
    public record Prescaled(Likelihood inner) implements Likelihood {
        @Override public String id() { return inner.id(); }
        @Override public int rawWidth(int features) { return inner.rawWidth(features); }
        @Override public List<String> parameterNames() { return inner.parameterNames(); }
        @Override public Map<String, String> scoreConstants() { return inner.scoreConstants(); }
        @Override public ScalingKind preferredScaling() { return ScalingKind.NONE; }
        @Override public boolean isOwnParameter(int features, int rawIndex) { return inner.isOwnParameter(features, rawIndex); }
        @Override public int ownParameterCount(int features) { return inner.ownParameterCount(features); }
        @Override public Likelihood withOwnParameters(int features, float[] values) {
            return new Prescaled(inner.withOwnParameters(features, values));
        }
        @Override public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
            return inner.negativeLogLikelihood(x, xOff, raw, rawOff, d);
        }
        @Override public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d,
                                                           double[] out, int outOff) {
            inner.featureNegativeLogLikelihood(x, xOff, raw, rawOff, d, out, outOff);
        }
        @Override public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale,
                                         float[] grad, int gradOff) {
            return inner.gradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
        }
        @Override public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
            inner.mean(raw, rawOff, d, out, outOff);
        }
        @Override public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
            inner.sample(raw, rawOff, d, random, out, outOff);
        }
    }
}
