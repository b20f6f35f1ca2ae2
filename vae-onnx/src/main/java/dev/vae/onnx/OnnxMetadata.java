package dev.vae.onnx;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an exported graph says about the model it came from, stored as ONNX {@code metadata_props} under keys that
 * start with {@code vae.}: format version, graph role, model type, likelihood, activation, dimensions, scaler,
 * threshold, feature names and the score definition, and for the scorer of an ensemble its member count
 * ({@code vae.members}, written only when above 1, so that a model of one network writes the keys it always did).
 * Values are plain text: numbers in Java's shortest exact decimal form (so floats round-trip bit for bit), lists
 * comma-separated, feature names one per line.
 *
 * @param formatVersion   the metadata format version ({@link #FORMAT_VERSION} when written by this build)
 * @param graph           the graph's role: {@code encoder}, {@code decoder} or {@code scorer}
 * @param architecture    the model's architecture
 * @param scaler          the input scaler inside the graph (encoder and scorer) or assumed by it (decoder)
 * @param threshold       the anomaly threshold, or null when the model has none
 * @param featureNames    the model's feature column names
 * @param scoreDefinition the score {@code scorer.onnx} computes, in words
 * @param series          for a windowed time-series model, its layout ({@code vae.series.*}: the graphs take a batch
 *                        of windows, N points x C columns each, oldest first); null for a model of independent rows
 * @param members         how many networks the graph's score averages: above 1 only for the scorer of an ensemble
 *                        (an encoder or decoder graph is always one network's, one member's of an ensemble)
 */
public record OnnxMetadata(int formatVersion, String graph, Architecture architecture, Scaler scaler,
                           @Nullable Threshold threshold, List<String> featureNames, String scoreDefinition,
                           @Nullable SeriesLayout series, int members) {

    /**
     * The metadata format version this build writes. Version 1 did not say which score the threshold was fitted on
     * (read as the deterministic negative ELBO, the score {@code scorer.onnx} computes) nor the constants the scores
     * depend on (read as this build's). Version 2 writes {@code threshold.score.kind}, {@code threshold.score.samples}
     * and {@code score_constants}, and a reader refuses constants that differ from the likelihood it would build.
     */
    public static final int FORMAT_VERSION = 2;

    /** Prefix of every key this library writes. */
    public static final String PREFIX = "vae.";

    /** Validates the fields. */
    public OnnxMetadata {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("Invalid ONNX metadata format version: " + formatVersion);
        }
        if (!List.of("encoder", "decoder", "scorer").contains(graph)) {
            throw new IllegalArgumentException("Invalid graph role '" + graph + "': expected encoder, decoder or scorer");
        }
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(scaler, "scaler");
        Objects.requireNonNull(scoreDefinition, "scoreDefinition");
        featureNames = List.copyOf(featureNames);
        if (scaler.width() != architecture.inputDim()) {
            throw new IllegalArgumentException("Scaler width " + scaler.width() + " does not match input dimension "
                    + architecture.inputDim());
        }
        if (featureNames.size() != architecture.inputDim()) {
            throw new IllegalArgumentException("Expected " + architecture.inputDim() + " feature names, got "
                    + featureNames.size());
        }
        if (members < 1) {
            throw new IllegalArgumentException("Invalid member count: " + members + " (expected at least 1)");
        }
        if (members > 1 && !graph.equals("scorer")) {
            throw new IllegalArgumentException("Invalid member count " + members + " for the " + graph + " graph: an "
                    + "encoder or decoder graph is one network's; only the scorer averages an ensemble's members");
        }
    }

    /**
     * The metadata of one graph of {@code model}; an ensemble's ({@link VaeModel#memberCount()} &gt; 1) only for its
     * scorer, whose score is the members' mean.
     */
    public static OnnxMetadata of(VaeModel model, String graph) {
        return new OnnxMetadata(FORMAT_VERSION, graph, model.architecture(), model.scaler(), model.threshold(),
                model.featureNames(), scoreDefinition(model.architecture(), model.memberCount()),
                SeriesLayout.of(model).orElse(null), model.memberCount());
    }

    /** The words that define the score of {@code scorer.onnx} for an architecture and member count. */
    static String scoreDefinition(Architecture a, int members) {
        String recon = "sum over features of -log p(x_j | z) under the " + a.likelihood().id() + " likelihood";
        String one = a.modelType() == ModelType.VAE
                ? "negative-elbo, deterministic: z = mu; score = " + recon
                        + " + KL(N(mu, exp(logvar)) || N(0, I)); nats; higher = more anomalous; feature_scores[j] = "
                        + "-log p(x_j | z = mu) in model (scaled) units"
                : "reconstruction negative log-likelihood of a plain autoencoder: z = encoder(x); score = " + recon
                        + "; nats; higher = more anomalous; feature_scores[j] = -log p(x_j | z) in model (scaled) units";
        if (members == 1) {
            return one + "; is_anomaly = score > threshold";
        }
        return "mean over an ensemble of " + members + " networks, each with its own encoder and decoder on the same "
                + "scaled input: score = (score_1 + ... + score_" + members + ") / " + members + " and feature_scores "
                + "likewise, summed in member order, where each member's is the " + one
                + "; is_anomaly = score > threshold";
    }

    /** The key/value pairs stored in {@code metadata_props}, in a stable order. */
    public Map<String, String> toProperties() {
        Architecture a = architecture;
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PREFIX + "format_version", Integer.toString(formatVersion));
        p.put(PREFIX + "graph", graph);
        if (members > 1) {
            p.put(PREFIX + "members", Integer.toString(members));
        }
        p.put(PREFIX + "model_type", a.modelType().id());
        p.put(PREFIX + "likelihood", a.likelihood().id());
        p.put(PREFIX + "activation", a.activation().id());
        p.put(PREFIX + "input_dim", Integer.toString(a.inputDim()));
        p.put(PREFIX + "latent_dim", Integer.toString(a.latentDim()));
        p.put(PREFIX + "encoder_hidden", ints(a.encoderHidden()));
        p.put(PREFIX + "decoder_hidden", ints(a.decoderHidden()));
        p.put(PREFIX + "scaler.kind", scaler.kind().id());
        p.put(PREFIX + "scaler.offset", floats(scaler.offset()));
        p.put(PREFIX + "scaler.divisor", floats(scaler.divisor()));
        p.put(PREFIX + "scaler.definition", "x_model = (x - offset) / divisor, per column, float32; "
                + "applied inside encoder.onnx and scorer.onnx; decoder.onnx outputs are in model units");
        if (threshold != null) {
            p.put(PREFIX + "threshold.value", Double.toString(threshold.value()));
            p.put(PREFIX + "threshold.method", threshold.method());
            p.put(PREFIX + "threshold.fitted_on", threshold.fittedOn());
            p.put(PREFIX + "threshold.score.kind", threshold.score().kind().id());
            p.put(PREFIX + "threshold.score.samples", Integer.toString(threshold.score().samples()));
        } else {
            p.put(PREFIX + "threshold.value", "none");
        }
        p.put(PREFIX + "score_constants", constants(a.scoreConstants()));
        p.put(PREFIX + "feature_names", String.join("\n", featureNames));
        p.put(PREFIX + "score", scoreDefinition);
        if (series != null) {
            new TreeMap<>(series.toProperties()).forEach((k, val) -> p.put(PREFIX + k, val));
            p.put(PREFIX + "series.definition", "each input row is a window of " + series.window() + " points x "
                    + series.valueColumns().size() + " columns (" + String.join(",", series.valueColumns())
                    + "), oldest point first, the columns of a point together, on a grid of step " + series.interval()
                    + " (time-column units); a point's score is the score of the window that " + (series.pointRule()
                    == dev.vae.core.series.PointRule.END ? "ends at it" : "has it in the middle (ending "
                    + series.pointRule().delay(series.window()) + " points after it)")
                    + "; the first points take the first window's score");
        }
        return p;
    }

    /**
     * Reads metadata written by {@link #toProperties()}.
     *
     * @return null when the properties hold no {@code vae.format_version} (a graph from another tool)
     * @throws IllegalArgumentException naming the key when a value is missing or malformed, or the format version is
     *                                  newer than this build reads
     */
    public static @Nullable OnnxMetadata parse(Map<String, String> props) {
        String version = props.get(PREFIX + "format_version");
        if (version == null) {
            return null;
        }
        int v = integer(props, "format_version");
        if (v > FORMAT_VERSION) {
            throw new IllegalArgumentException("ONNX metadata format version " + v + " is newer than this build reads ("
                    + FORMAT_VERSION + ")");
        }
        Likelihood likelihood = Likelihoods.parse(required(props, "likelihood"));
        Architecture a = new Architecture(integer(props, "input_dim"), parseInts(props, "encoder_hidden"),
                integer(props, "latent_dim"), parseInts(props, "decoder_hidden"),
                Activation.parse(required(props, "activation")), likelihood, ModelType.parse(required(props, "model_type")));
        if (v >= 2) {
            String stored = required(props, "score_constants");
            String built = constants(a.scoreConstants());
            if (!stored.equals(built)) {
                throw new IllegalArgumentException("ONNX metadata " + PREFIX + "score_constants says the scores depend on ["
                        + stored.replace('\n', ' ') + "], but this build's " + likelihood.id() + " model computes them with ["
                        + built.replace('\n', ' ') + "]");
            }
        }
        Scaler scaler = new Scaler(ScalingKind.parse(required(props, "scaler.kind")), parseFloats(props, "scaler.offset"),
                parseFloats(props, "scaler.divisor"));
        String tv = required(props, "threshold.value");
        Threshold threshold = null;
        if (!tv.equals("none")) {
            ScoreSettings fittedScore = v >= 2
                    ? new ScoreSettings(ScoreKind.parse(required(props, "threshold.score.kind")),
                            integer(props, "threshold.score.samples"))
                    : ScoreSettings.defaults();
            threshold = new Threshold(number(tv, "threshold.value"), required(props, "threshold.method"),
                    required(props, "threshold.fitted_on"), fittedScore);
        }
        String names = required(props, "feature_names");
        Map<String, String> seriesKeys = new TreeMap<>();
        props.forEach((k, val) -> {
            if (k.startsWith(PREFIX + "series.")) {
                seriesKeys.put(k.substring(PREFIX.length()), val);
            }
        });
        // Absent in a model of one network's graphs and in every graph of builds without ensembles.
        int members = props.containsKey(PREFIX + "members") ? integer(props, "members") : 1;
        if (members < 1) {
            throw new IllegalArgumentException("ONNX metadata " + PREFIX + "members is not a member count: " + members);
        }
        return new OnnxMetadata(v, required(props, "graph"), a, scaler, threshold, List.of(names.split("\n", -1)),
                required(props, "score"), SeriesLayout.fromProperties(seriesKeys).orElse(null), members);
    }

    /** Constants as sorted {@code name=value} lines. */
    private static String constants(Map<String, String> constants) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(constants).forEach((k, val) -> b.append(b.length() == 0 ? "" : "\n").append(k).append('=').append(val));
        return b.toString();
    }

    private static String required(Map<String, String> props, String key) {
        String value = props.get(PREFIX + key);
        if (value == null) {
            throw new IllegalArgumentException("ONNX metadata lacks " + PREFIX + key);
        }
        return value;
    }

    private static int integer(Map<String, String> props, String key) {
        String s = required(props, key);
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ONNX metadata " + PREFIX + key + " is not an integer: '" + s + "'");
        }
    }

    private static double number(String s, String key) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ONNX metadata " + PREFIX + key + " is not a number: '" + s + "'");
        }
    }

    private static List<Integer> parseInts(Map<String, String> props, String key) {
        String s = required(props, key).trim();
        List<Integer> out = new ArrayList<>();
        if (!s.isEmpty()) {
            for (String part : s.split(",")) {
                try {
                    out.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ONNX metadata " + PREFIX + key + " holds a non-integer: '" + part + "'");
                }
            }
        }
        return out;
    }

    private static float[] parseFloats(Map<String, String> props, String key) {
        String[] parts = required(props, key).split(",");
        if (parts.length > Architecture.MAX_WIDTH) {
            throw new IllegalArgumentException("ONNX metadata " + PREFIX + key + " has too many values: " + parts.length);
        }
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ONNX metadata " + PREFIX + key + " holds a non-number: '" + parts[i] + "'");
            }
        }
        return out;
    }

    private static String ints(List<Integer> values) {
        StringBuilder b = new StringBuilder();
        for (int v : values) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(v);
        }
        return b.toString();
    }

    private static String floats(float[] values) {
        StringBuilder b = new StringBuilder();
        for (float v : values) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(v);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "OnnxMetadata[" + graph + ", " + architecture.describe() + ", scaler " + scaler.kind().id()
                + (members > 1 ? ", " + members + " members" : "")
                + ", threshold " + (threshold == null ? "none" : threshold.value()) + ", names " + Arrays.toString(
                featureNames.toArray()) + "]";
    }
}
