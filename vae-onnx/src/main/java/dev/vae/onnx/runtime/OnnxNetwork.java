package dev.vae.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.nn.PortableNetwork;
import dev.vae.onnx.LogScaleLink;
import dev.vae.onnx.OnnxModelBytes;
import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A VAE network whose encoder and decoder are ONNX graphs run by ONNX Runtime: the backend of imported models.
 * Immutable and thread-safe: the two sessions are shared by all evaluators (ONNX Runtime sessions are thread-safe)
 * and the process-wide {@link OrtEnvironment} is created once. Inputs are fed as float32.
 *
 * <p>The graphs take model-space rows (the model's scaler runs in Java before them). The encoder yields mu and,
 * for a VAE, logvar; the decoder yields the likelihood's parameters, which this class maps to the library's raw
 * layout: Bernoulli logits and Gaussian means unchanged, a Gaussian log-variance s to the raw value r whose link
 * gives s ({@link LearnedVarianceGaussian#rawLogVariance}): s itself for the unbounded link that imported foreign
 * decoders get, {@code r = B atanh(s / B)} for a bounded link {@code s = B tanh(r / B)} (graphs this library exported,
 * whose s lies inside (-B, B) already; s beyond that range would be clipped to it). A Student-t's {@code logscale2}
 * maps back the same way through its link s = B tanh(r / B) ({@link LogScaleLink}).
 *
 * <p>Settings (stored in the model file): {@value #ENCODER_INPUT}, {@value #ENCODER_OUTPUTS} (mu[,logvar]),
 * {@value #DECODER_INPUT}, {@value #DECODER_OUTPUTS} (one per likelihood parameter, in the likelihood's order).
 */
public final class OnnxNetwork implements PortableNetwork {

    /** The backend name, as stored in model files. */
    public static final String BACKEND = "onnx";
    /** Artifact name of the encoder graph. */
    public static final String ENCODER_ARTIFACT = "encoder.onnx";
    /** Artifact name of the decoder graph. */
    public static final String DECODER_ARTIFACT = "decoder.onnx";
    /** Setting: the encoder's input name. */
    public static final String ENCODER_INPUT = "encoder.input";
    /** Setting: the encoder's output names, comma-separated: mu, then logvar for a VAE. */
    public static final String ENCODER_OUTPUTS = "encoder.outputs";
    /** Setting: the decoder's input name. */
    public static final String DECODER_INPUT = "decoder.input";
    /** Setting: the decoder's output names, comma-separated, one per likelihood parameter. */
    public static final String DECODER_OUTPUTS = "decoder.outputs";

    private static final Cleaner CLEANER = Cleaner.create();

    private final Architecture architecture;
    private final byte[] encoderBytes;
    private final byte[] decoderBytes;
    private final Map<String, String> settings;
    private final OrtSession encoder;
    private final OrtSession decoder;
    private final String encoderInput;
    private final List<String> encoderOutputs;
    private final String decoderInput;
    private final List<String> decoderOutputs;

    /**
     * Opens ONNX Runtime sessions on the two graphs.
     *
     * @throws ModelFormatException when a graph is malformed, hostile, or ONNX Runtime refuses it, or the settings
     *                              do not name its inputs and outputs
     */
    public OnnxNetwork(Architecture architecture, byte[] encoderOnnx, byte[] decoderOnnx, Map<String, String> settings)
            throws ModelFormatException {
        this.architecture = architecture;
        this.encoderBytes = encoderOnnx.clone();
        this.decoderBytes = decoderOnnx.clone();
        this.settings = Map.copyOf(settings);
        this.encoderInput = setting(ENCODER_INPUT);
        this.encoderOutputs = List.of(setting(ENCODER_OUTPUTS).split(","));
        this.decoderInput = setting(DECODER_INPUT);
        this.decoderOutputs = List.of(setting(DECODER_OUTPUTS).split(","));
        int wantEncoder = architecture.modelType() == ModelType.VAE ? 2 : 1;
        if (encoderOutputs.size() != wantEncoder) {
            throw new ModelFormatException("A " + architecture.modelType().id() + " encoder needs " + wantEncoder
                    + " output names, got " + encoderOutputs);
        }
        int params = architecture.likelihood().parameterNames().size();
        if (decoderOutputs.size() != params) {
            throw new ModelFormatException("The " + architecture.likelihood().id() + " likelihood needs " + params
                    + " decoder output names, got " + decoderOutputs);
        }
        OnnxModelBytes.parse(encoderBytes, ENCODER_ARTIFACT);
        OnnxModelBytes.parse(decoderBytes, DECODER_ARTIFACT);
        OrtSession enc = open(encoderBytes, ENCODER_ARTIFACT);
        OrtSession dec;
        try {
            dec = open(decoderBytes, DECODER_ARTIFACT);
        } catch (ModelFormatException e) {
            closeQuietly(enc);
            throw e;
        }
        this.encoder = enc;
        this.decoder = dec;
        CLEANER.register(this, () -> {
            closeQuietly(enc);
            closeQuietly(dec);
        });
        try {
            checkNames(enc, ENCODER_ARTIFACT, encoderInput, encoderOutputs);
            checkNames(dec, DECODER_ARTIFACT, decoderInput, decoderOutputs);
        } catch (OrtException e) {
            throw new ModelFormatException("ONNX Runtime cannot describe the graphs: " + e.getMessage(), e);
        }
    }

    private String setting(String key) throws ModelFormatException {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new ModelFormatException("The onnx network settings lack '" + key + "'");
        }
        return v;
    }

    private static OrtSession open(byte[] bytes, String name) throws ModelFormatException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return Holder.ENV.createSession(bytes, options);
        } catch (OrtException e) {
            throw new ModelFormatException(name + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    private static void checkNames(OrtSession s, String name, String input, List<String> outputs)
            throws OrtException, ModelFormatException {
        if (!s.getInputNames().contains(input)) {
            throw new ModelFormatException(name + ": has no input '" + input + "' (inputs: " + s.getInputNames() + ")");
        }
        if (s.getNumInputs() != 1) {
            throw new ModelFormatException(name + ": expected one input, found " + s.getInputNames());
        }
        for (String o : outputs) {
            if (!s.getOutputNames().contains(o)) {
                throw new ModelFormatException(name + ": has no output '" + o + "' (outputs: " + s.getOutputNames() + ")");
            }
        }
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // Nothing to do: the session is being discarded.
        }
    }

    /** The shared ONNX Runtime environment, created on first use (one per JVM). */
    private static final class Holder {
        static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public Map<String, byte[]> artifacts() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(ENCODER_ARTIFACT, encoderBytes.clone());
        m.put(DECODER_ARTIFACT, decoderBytes.clone());
        return m;
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public Evaluator newEvaluator() {
        return new OrtEvaluator();
    }

    @Override
    public String toString() {
        return "OnnxNetwork[" + architecture.describe() + ", encoder " + encoderInput + " -> " + encoderOutputs
                + ", decoder " + decoderInput + " -> " + decoderOutputs + "]";
    }

    private final class OrtEvaluator implements Evaluator {
        private final int d = architecture.inputDim();
        private final int k = architecture.latentDim();
        private final Set<String> encoderWanted = new LinkedHashSet<>(encoderOutputs);
        private final Set<String> decoderWanted = new LinkedHashSet<>(decoderOutputs);

        @Override
        public void encode(float[] x, int xOff, int n, float[] mu, float[] logvar) {
            if (n == 0) {
                return;
            }
            try (OnnxTensor t = OnnxTensor.createTensor(Holder.ENV, FloatBuffer.wrap(x, xOff, n * d), new long[] {n, d});
                 OrtSession.Result r = encoder.run(Map.of(encoderInput, t), encoderWanted)) {
                copy(r, encoderOutputs.get(0), n, k, mu, 0, ENCODER_ARTIFACT);
                if (logvar != null && encoderOutputs.size() > 1) {
                    copy(r, encoderOutputs.get(1), n, k, logvar, 0, ENCODER_ARTIFACT);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on the encoder: " + e.getMessage(), e);
            }
        }

        @Override
        public void decode(float[] z, int zOff, int n, float[] raw) {
            if (n == 0) {
                return;
            }
            int params = decoderOutputs.size();
            int rw = params * d;
            try (OnnxTensor t = OnnxTensor.createTensor(Holder.ENV, FloatBuffer.wrap(z, zOff, n * k), new long[] {n, k});
                 OrtSession.Result r = decoder.run(Map.of(decoderInput, t), decoderWanted)) {
                float[] part = new float[n * d];
                for (int p = 0; p < params; p++) {
                    copy(r, decoderOutputs.get(p), n, d, part, 0, DECODER_ARTIFACT);
                    LearnedVarianceGaussian link = p == 1 ? LogScaleLink.of(architecture.likelihood()) : null;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < d; j++) {
                            float v = part[i * d + j];
                            raw[i * rw + p * d + j] = link != null ? (float) link.rawLogVariance(v) : v;
                        }
                    }
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on the decoder: " + e.getMessage(), e);
            }
        }

        private void copy(OrtSession.Result r, String name, int n, int width, float[] dst, int off, String graph)
                throws OrtException {
            Optional<OnnxValue> v = r.get(name);
            if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                throw new IllegalStateException(graph + ": output '" + name + "' is missing or not a tensor");
            }
            long[] shape = t.getInfo().getShape();
            if (shape.length != 2 || shape[0] != n || shape[1] != width) {
                throw new IllegalStateException(graph + ": output '" + name + "' has shape " + Arrays.toString(shape)
                        + ", expected [" + n + ", " + width + "]");
            }
            FloatBuffer fb = t.getFloatBuffer();
            if (fb == null) {
                throw new IllegalStateException(graph + ": output '" + name + "' is not float32 ("
                        + t.getInfo().type + ")");
            }
            fb.get(dst, off, n * width);
        }
    }

    /**
     * Builds the settings map for the given input and output names, as the constructor reads it and model files
     * store it.
     */
    public static Map<String, String> settings(String encoderInput, List<String> encoderOutputs, String decoderInput,
                                        List<String> decoderOutputs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ENCODER_INPUT, encoderInput);
        m.put(ENCODER_OUTPUTS, String.join(",", new ArrayList<>(encoderOutputs)));
        m.put(DECODER_INPUT, decoderInput);
        m.put(DECODER_OUTPUTS, String.join(",", new ArrayList<>(decoderOutputs)));
        return m;
    }
}
