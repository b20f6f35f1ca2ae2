package dev.vae.core;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.Scaler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A trained VAE or autoencoder: its network, the input scaler, the names of its feature columns, the seed its
 * sampled scores derive from, its anomaly threshold, its default score and its training provenance.
 *
 * <p><b>Ensembles.</b> A model may hold several member networks of one architecture, trained on the same rows with
 * different seeds and sharing the scaler ({@link #memberCount()} &gt; 1). It is then the uniform mixture of its
 * members: its score of a row is the mean of the members' scores, in nats, higher = more anomalous, as one model's.
 * Of bounds it is a bound: -log((1/M) sum_m p_m(x)) &lt;= (1/M) sum_m -log p_m(x) &lt;= (1/M) sum_m -ELBO_m(x)
 * (Jensen's inequality, then each member's), so the mean of the members' expected negative ELBOs (or IWAE bounds)
 * lies above the mixture's negative log-likelihood; the default score at z = mu is each member's plug-in estimate of
 * its bound, and the ensemble's the mean of those. Generation draws from the mixture; encoding needs one member
 * ({@link #member(int)}), since each member has its own latent space.
 *
 * <p>Immutable and thread-safe. Derive a changed model with {@link #toBuilder()}. Scoring lives in
 * {@code vae-anomaly}; this class offers the operations every module shares: scaling, encoding to latent means
 * (feature extraction) and generation.
 */
public final class VaeModel {

    private final List<VaeNetwork> members;
    private final VaeNetwork network;
    private final Scaler scaler;
    private final List<String> featureNames;
    private final long seed;
    private final @Nullable Threshold threshold;
    private final ScoreSettings scoreSettings;
    private final Map<String, String> provenance;
    private final Map<String, String> properties;

    private VaeModel(Builder b) {
        this.members = List.copyOf(b.members);
        this.network = members.get(0);
        Architecture a = network.architecture();
        for (int m = 1; m < members.size(); m++) {
            VaeNetwork other = members.get(m);
            if (!other.architecture().equals(a) || !other.backend().equals(network.backend())) {
                throw new IllegalArgumentException("Ensemble member " + (m + 1) + " is a " + other.backend() + " "
                        + other.architecture().describe() + ", the first a " + network.backend() + " "
                        + a.describe() + ": every member must have the first's architecture and backend");
            }
        }
        int d = a.inputDim();
        this.scaler = b.scaler == null ? Scaler.identity(d) : b.scaler;
        if (scaler.width() != d) {
            throw new IllegalArgumentException("Scaler width " + scaler.width() + " does not match input dimension " + d);
        }
        this.featureNames = b.featureNames == null ? defaultNames(d) : List.copyOf(b.featureNames);
        if (featureNames.size() != d) {
            throw new IllegalArgumentException("Expected " + d + " feature names, got " + featureNames.size());
        }
        if (new HashSet<>(featureNames).size() != d) {
            throw new IllegalArgumentException("Feature names are not unique: " + featureNames);
        }
        this.seed = b.seed;
        this.threshold = b.threshold;
        this.scoreSettings = b.scoreSettings == null ? ScoreSettings.defaults() : b.scoreSettings;
        this.provenance = Collections.unmodifiableMap(new TreeMap<>(b.provenance));
        this.properties = Collections.unmodifiableMap(new TreeMap<>(b.properties));
    }

    /** Column names {@code x0 .. x{d-1}} for a model whose columns have no names. */
    public static List<String> defaultNames(int d) {
        List<String> names = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return names;
    }

    /** A builder for a model around {@code network}. */
    public static Builder builder(VaeNetwork network) {
        return new Builder(network);
    }

    /**
     * A builder for an ensemble of {@code members} (at least one), each a network of the same architecture and backend,
     * scored as their mean (class documentation). One member is {@link #builder(VaeNetwork)}.
     */
    public static Builder builder(List<? extends VaeNetwork> members) {
        return new Builder(members);
    }

    /** A builder holding this model's fields. */
    public Builder toBuilder() {
        Builder b = new Builder(members);
        b.scaler = scaler;
        b.featureNames = featureNames;
        b.seed = seed;
        b.threshold = threshold;
        b.scoreSettings = scoreSettings;
        b.provenance.putAll(provenance);
        b.properties.putAll(properties);
        return b;
    }

    /** The network; of an ensemble, its first member's. */
    public VaeNetwork network() {
        return network;
    }

    /** The member networks, the first being {@link #network()}: one unless the model is an ensemble. */
    public List<VaeNetwork> members() {
        return members;
    }

    /** How many networks the model's scores average: 1 for one VAE, more for an ensemble. */
    public int memberCount() {
        return members.size();
    }

    /**
     * Member {@code m} (0-based) as a model of its own: this model's scaler, names, seed, score settings, provenance
     * and properties around that member's network, without the threshold (which was fitted on the ensemble's score).
     *
     * @throws IndexOutOfBoundsException when there is no such member
     */
    public VaeModel member(int m) {
        Objects.checkIndex(m, members.size());
        if (members.size() == 1) {
            return this;
        }
        Builder b = toBuilder();
        b.members = List.of(members.get(m));
        b.threshold = null;
        return b.build();
    }

    /** The architecture. */
    public Architecture architecture() {
        return network.architecture();
    }

    /** The native network, when the model has one. */
    public @Nullable NativeNetwork nativeNetwork() {
        return network instanceof NativeNetwork n ? n : null;
    }

    /** The input scaler. */
    public Scaler scaler() {
        return scaler;
    }

    /** Names of the feature columns, in model order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The number of input features. */
    public int inputDim() {
        return network.architecture().inputDim();
    }

    /** The number of latent dimensions K. */
    public int latentDim() {
        return network.architecture().latentDim();
    }

    /** The seed from which sampled scores derive their noise (together with each row's values). */
    public long seed() {
        return seed;
    }

    /** The fitted threshold, or null when none was fitted. */
    public @Nullable Threshold threshold() {
        return threshold;
    }

    /** The default score of this model. */
    public ScoreSettings scoreSettings() {
        return scoreSettings;
    }

    /** How the model was made: trainer settings, data, times, versions. Sorted, unmodifiable. */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** Extension properties stored with the model by other modules (e.g. a streaming threshold's state). */
    public Map<String, String> properties() {
        return properties;
    }

    /** Maps {@code rows} raw rows into model space (a new array). */
    public float[] toModelSpace(float[] raw, int rows) {
        checkWidth(raw, rows);
        float[] out = new float[rows * inputDim()];
        scaler.apply(raw, 0, out, 0, rows);
        return out;
    }

    /**
     * Encodes raw rows to their latent means (feature extraction).
     *
     * @param raw  {@code rows x inputDim} raw feature values, row-major
     * @return {@code rows x K} latent means, row-major
     */
    public float[] encode(float[] raw, int rows) {
        if (members.size() > 1) {
            throw new IllegalStateException("This model is an ensemble of " + members.size() + " VAEs, each with its"
                    + " own latent space: encode with one member, member(m)");
        }
        float[] x = toModelSpace(raw, rows);
        float[] mu = new float[rows * latentDim()];
        network.newEvaluator().encode(x, 0, rows, mu, null);
        return mu;
    }

    /**
     * Generates {@code count} new rows in raw units: draws z ~ N(0, I), decodes it, and returns either the
     * likelihood's mean ({@code sampleLikelihood = false}) or a draw from it. An ensemble draws from its uniform
     * mixture, stratified: row i comes from member {@code i mod memberCount()}.
     */
    public float[] generate(int count, long generatorSeed, boolean sampleLikelihood) {
        if (count < 0) {
            throw new IllegalArgumentException("Invalid sample count: " + count);
        }
        Architecture a = architecture();
        int k = a.latentDim();
        int d = a.inputDim();
        int rw = a.decoderOutputDim();
        NormalSampler random = new NormalSampler(generatorSeed);
        float[] z = new float[count * k];
        random.fill(z, 0, z.length);
        float[] raw = new float[count * rw];
        if (members.size() == 1) {
            network.newEvaluator().decode(z, 0, count, raw);
        } else {
            // Member m decodes rows m, m + M, m + 2M, ...: gathered, decoded in one call, scattered back.
            int stride = members.size();
            for (int m = 0; m < stride && m < count; m++) {
                int mine = (count - m + stride - 1) / stride;
                float[] zm = new float[mine * k];
                for (int r = 0; r < mine; r++) {
                    System.arraycopy(z, (m + r * stride) * k, zm, r * k, k);
                }
                float[] rawm = new float[mine * rw];
                members.get(m).newEvaluator().decode(zm, 0, mine, rawm);
                for (int r = 0; r < mine; r++) {
                    System.arraycopy(rawm, r * rw, raw, (m + r * stride) * rw, rw);
                }
            }
        }
        float[] x = new float[count * d];
        for (int i = 0; i < count; i++) {
            if (sampleLikelihood) {
                a.likelihood().sample(raw, i * rw, d, random, x, i * d);
            } else {
                a.likelihood().mean(raw, i * rw, d, x, i * d);
            }
        }
        scaler.invert(x, 0, x, 0, count);
        return x;
    }

    private void checkWidth(float[] raw, int rows) {
        if (rows < 0 || (long) rows * inputDim() != raw.length) {
            throw new IllegalArgumentException("Invalid input: expected " + rows + " rows of " + inputDim()
                    + " features (" + (long) rows * inputDim() + " values), actual " + raw.length + " values");
        }
    }

    @Override
    public String toString() {
        return "VaeModel[" + architecture().describe() + (members.size() > 1 ? " x " + members.size() + " members" : "")
                + ", backend " + network.backend() + ", "
                + (threshold == null ? "no threshold" : "threshold " + threshold.value() + " (" + threshold.method() + ")") + "]";
    }

    /** Builds a {@link VaeModel}. */
    public static final class Builder {
        private List<VaeNetwork> members;
        private @Nullable Scaler scaler;
        private @Nullable List<String> featureNames;
        private long seed;
        private @Nullable Threshold threshold;
        private @Nullable ScoreSettings scoreSettings;
        private final Map<String, String> provenance = new TreeMap<>();
        private final Map<String, String> properties = new TreeMap<>();

        private Builder(VaeNetwork network) {
            this.members = List.of(Objects.requireNonNull(network, "network"));
        }

        private Builder(List<? extends VaeNetwork> members) {
            if (members.isEmpty()) {
                throw new IllegalArgumentException("A model needs at least one network");
            }
            this.members = List.copyOf(members);
        }

        /** The input scaler (default: identity). */
        public Builder scaler(Scaler s) {
            this.scaler = s;
            return this;
        }

        /** Feature column names (default: x0, x1, ...). */
        public Builder featureNames(List<String> names) {
            this.featureNames = names;
            return this;
        }

        /** The seed of sampled scores. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The anomaly threshold, or null for none. */
        public Builder threshold(@Nullable Threshold t) {
            this.threshold = t;
            return this;
        }

        /** The default score settings. */
        public Builder scoreSettings(ScoreSettings s) {
            this.scoreSettings = s;
            return this;
        }

        /** Adds provenance entries. */
        public Builder provenance(Map<String, String> entries) {
            this.provenance.putAll(entries);
            return this;
        }

        /** Adds one provenance entry. */
        public Builder provenance(String key, String value) {
            this.provenance.put(key, value);
            return this;
        }

        /** Adds one extension property. */
        public Builder property(String key, String value) {
            this.properties.put(key, value);
            return this;
        }

        /** Removes one extension property. */
        public Builder removeProperty(String key) {
            this.properties.remove(key);
            return this;
        }

        /** The model. */
        public VaeModel build() {
            return new VaeModel(this);
        }
    }
}
