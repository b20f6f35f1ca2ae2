package dev.vae.core.io;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.nn.PortableNetwork;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.nn.VaeObjective;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link VaeModel}s in the project's model file format.
 *
 * <p>Layout (big-endian): 8-byte magic {@code 89 56 41 45 0D 0A 1A 0A} ("\x89VAE\r\n\x1a\n", which also catches
 * text-mode mangling), format version (int), payload length (long), SHA-256 of the payload (32 bytes), payload.
 * The payload holds the architecture and the constants its scores depend on, scaler, feature names, seed, threshold (with
 * the score it was fitted on), score settings, provenance,
 * extension properties and the network (native parameters, or a backend's artifacts). Every count read from a
 * file is checked against the bytes that remain, and the architecture's parameter count is checked (in 64-bit
 * arithmetic) before any network is built, so a damaged or hostile file cannot cause a huge allocation.
 *
 * <p>Reading untrusted bytes throws only {@link ModelFormatException} (not a model file, truncated, corrupted,
 * newer version, invalid content) or, for a missing file, {@link NoSuchFileException}; nothing else escapes for any
 * input, which {@code ModelFileFuzzTest} checks.
 */
public final class ModelFile {

    /**
     * The format version this build writes; files with a higher version are refused. What each version means:
     * <ul>
     *   <li>1: the threshold was fitted on the model's own score settings; the learned-variance bound was 3 (files
     *       from builds before 2026-11-29 used 7 under the same version: they cannot be told apart and are read
     *       as 3); a Bernoulli term had no out-of-range rule.</li>
     *   <li>2: the threshold records the score it was fitted on (kind and samples); the file records every
     *       constant its scores depend on ({@link Architecture#scoreConstants()}), and a reader refuses a file
     *       whose constants differ from those of the model it would build.</li>
     *   <li>3: a native network's parameters end with the likelihood's own parameters
     *       ({@link Architecture#likelihoodParameterCount()}, e.g. the log-variances of {@code gaussian-shared}), and
     *       the decoder's last layer computes only the other raw values. Versions 1 and 2 stored those values as
     *       decoder outputs whose weights had to be 0; a reader converts them
     *       ({@link VaeObjective#fromSharedOutputLayout}). For every other model version 3 is byte for byte version
     *       2, and such a model is written as version 2, which earlier builds read.</li>
     *   <li>4: an ensemble ({@link VaeModel#memberCount()} &gt; 1): the first member's network as in version 3, then
     *       the count of further members (int) and each one's network the same way (native networks only). A model of
     *       one network is written as version 2 or 3, as before.</li>
     * </ul>
     */
    public static final int FORMAT_VERSION = 4;

    /** The first version that holds ensembles. */
    private static final int ENSEMBLE_VERSION = 4;

    /** Most members an ensemble in a file may have. */
    public static final int MAX_MEMBERS = 64;

    /** The last version whose native parameters hold the likelihood's own parameters as decoder outputs. */
    private static final int SHARED_OUTPUT_LAYOUT_VERSION = 2;

    /** Largest model file this reader accepts (1 GiB). */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private static final byte[] MAGIC = {(byte) 0x89, 'V', 'A', 'E', '\r', '\n', 0x1A, '\n'};
    private static final int HEADER_BYTES = MAGIC.length + 4 + 8 + 32;

    private ModelFile() {
    }

    /** Writes {@code model} to {@code path} atomically: the previous file survives any failure. */
    public static void write(VaeModel model, Path path) throws IOException {
        byte[] bytes = toBytes(model);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /** Writes {@code model} to a stream in the file format. */
    public static void write(VaeModel model, OutputStream out) throws IOException {
        out.write(toBytes(model));
    }

    /** The file-format bytes of {@code model}. */
    public static byte[] toBytes(VaeModel model) throws IOException {
        byte[] payload = payload(model);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_BYTES + payload.length);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(version(model));
        out.writeLong(payload.length);
        out.write(FileBytes.sha256(payload));
        out.write(payload);
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * Reads a model file.
     *
     * @throws ModelFormatException naming the file when it is not a model file, is truncated or corrupted, or has a
     *                              newer format version
     * @throws NoSuchFileException  when it does not exist
     */
    public static VaeModel read(Path path) throws IOException {
        byte[] bytes = FileBytes.read(path, MAX_FILE_BYTES, "model file", ModelFormatException::new);
        return fromBytes(bytes, path.toString());
    }

    /** Reads a model from a stream holding one model file (at most {@link #MAX_FILE_BYTES}). */
    public static VaeModel read(InputStream in, String source) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_FILE_BYTES + 1));
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ModelFormatException(source + ": larger than a model file may be (" + MAX_FILE_BYTES + " bytes)");
        }
        return fromBytes(bytes, source);
    }

    /** Reads a model from file-format bytes; {@code source} names them in error messages. */
    public static VaeModel fromBytes(byte[] bytes, String source) throws ModelFormatException {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFormatException(source + ": not a VAE model file (bad magic number)");
        }
        if (bytes.length < HEADER_BYTES) {
            throw new ModelFormatException(source + ": truncated model file (" + bytes.length + " bytes, header needs "
                    + HEADER_BYTES + ")");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.position(MAGIC.length);
        int version = header.getInt();
        if (version > FORMAT_VERSION) {
            throw new ModelFormatException(source + ": model file format version " + version
                    + " is newer than this build supports (" + FORMAT_VERSION + "); upgrade the library to read it");
        }
        if (version < 1) {
            throw new ModelFormatException(source + ": invalid model file format version " + version);
        }
        long length = header.getLong();
        byte[] digest = new byte[32];
        header.get(digest);
        long available = bytes.length - HEADER_BYTES;
        if (length != available) {
            throw new ModelFormatException(source + ": " + (length > available ? "truncated" : "trailing bytes in")
                    + " model file (payload should be " + length + " bytes, found " + available + ")");
        }
        byte[] payload = Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length);
        if (!MessageDigest.isEqual(digest, FileBytes.sha256(payload))) {
            throw new ModelFormatException(source + ": corrupted model file (checksum mismatch)");
        }
        try {
            return parse(new Reader(ByteBuffer.wrap(payload), source), version);
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(source + ": malformed model file (payload ends early)", e);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": invalid model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A payload with a valid checksum was still built by something other than this writer (or by a buggy
            // one): whatever the model's constructors object to, the caller gets the documented exception.
            throw new ModelFormatException(source + ": invalid model: " + e, e);
        }
    }

    /**
     * The version {@code model} is written as: the lowest that holds it, {@link #FORMAT_VERSION} only for a native
     * network whose likelihood owns parameters, else 2, whose bytes are the same and which earlier builds read.
     */
    static int version(VaeModel model) {
        if (model.memberCount() > 1) {
            return ENSEMBLE_VERSION;
        }
        return model.network() instanceof NativeNetwork && model.architecture().likelihoodParameterCount() > 0
                ? ENSEMBLE_VERSION - 1 : SHARED_OUTPUT_LAYOUT_VERSION;
    }

    /**
     * The native parameter count of {@code a} in a file of {@code version}, computed without overflow: before
     * version 3 the decoder's last layer had a column for every raw value, the likelihood's own parameters included.
     */
    static long parameterCount(Architecture a, int version) {
        int[] decoder = a.decoderSizes();
        if (version <= SHARED_OUTPUT_LAYOUT_VERSION) {
            decoder[decoder.length - 1] = a.decoderOutputDim();
        }
        long total = version <= SHARED_OUTPUT_LAYOUT_VERSION ? 0 : a.likelihoodParameterCount();
        for (int[] sizes : new int[][] {a.encoderSizes(), decoder}) {
            for (int l = 0; l + 1 < sizes.length; l++) {
                total += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
            }
        }
        return total;
    }

    private static byte[] payload(VaeModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Architecture a = m.architecture();
        out.writeInt(a.inputDim());
        writeInts(out, a.encoderHidden());
        out.writeInt(a.latentDim());
        writeInts(out, a.decoderHidden());
        writeString(out, a.activation().id());
        writeString(out, a.likelihood().id());
        writeString(out, a.modelType().id());
        writeMap(out, a.scoreConstants());

        Scaler s = m.scaler();
        writeString(out, s.kind().id());
        writeFloats(out, s.offset());
        writeFloats(out, s.divisor());

        out.writeInt(m.featureNames().size());
        for (String name : m.featureNames()) {
            writeString(out, name);
        }
        out.writeLong(m.seed());
        Threshold t = m.threshold();
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeDouble(t.value());
            writeString(out, t.method());
            writeString(out, t.fittedOn());
            writeScore(out, t.score());
        }
        writeScore(out, m.scoreSettings());
        writeMap(out, m.provenance());
        writeMap(out, m.properties());

        writeNetwork(out, m.network());
        if (m.memberCount() > 1) {
            out.writeInt(m.memberCount() - 1);
            for (VaeNetwork member : m.members().subList(1, m.memberCount())) {
                if (!(member instanceof NativeNetwork)) {
                    throw new IOException("Cannot save an ensemble of " + member.backend() + " networks: ensembles"
                            + " are saved with native networks only");
                }
                writeNetwork(out, member);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeNetwork(DataOutputStream out, VaeNetwork network) throws IOException {
        writeString(out, network.backend());
        if (network instanceof NativeNetwork n) {
            writeFloats(out, n.parameters());
        } else if (network instanceof PortableNetwork p) {
            writeMap(out, p.settings());
            Map<String, byte[]> artifacts = new TreeMap<>(p.artifacts());
            out.writeInt(artifacts.size());
            for (Map.Entry<String, byte[]> e : artifacts.entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } else {
            throw new IOException("Cannot save a network of backend '" + network.backend()
                    + "': it is neither native nor portable");
        }
    }

    private static VaeModel parse(Reader in, int version) throws ModelFormatException {
        int inputDim = in.positive("input dimension");
        List<Integer> encoderHidden = in.ints("encoder hidden widths");
        int latent = in.positive("latent dimension");
        List<Integer> decoderHidden = in.ints("decoder hidden widths");
        Activation activation = Activation.parse(in.string());
        var likelihood = Likelihoods.parse(in.string());
        ModelType type = ModelType.parse(in.string());
        Architecture arch = new Architecture(inputDim, encoderHidden, latent, decoderHidden, activation, likelihood, type);
        if (version >= 2) {
            Map<String, String> stored = in.map();
            Map<String, String> built = arch.scoreConstants();
            if (!stored.equals(built)) {
                throw new ModelFormatException(in.source + ": the model's scores depend on " + stored
                        + ", but this build's " + arch.likelihood().id() + " model computes them with " + built
                        + "; refusing a model whose scores and threshold would change meaning");
            }
        }

        ScalingKind kind = ScalingKind.parse(in.string());
        Scaler scaler = new Scaler(kind, in.floats("scaler offsets"), in.floats("scaler divisors"));

        int names = in.count("feature names", 2);
        List<String> featureNames = new ArrayList<>(names);
        for (int i = 0; i < names; i++) {
            featureNames.add(in.string());
        }
        long seed = in.buffer.getLong();
        // The threshold precedes the model's score settings in the file; version 1 fitted every threshold with the
        // model's own score settings and did not say so, so its score is known only after them.
        record Stored(double value, String method, String fittedOn, @Nullable ScoreSettings score) {
        }
        Stored stored = in.bool()
                ? new Stored(in.buffer.getDouble(), in.string(), in.string(), version >= 2 ? in.score() : null)
                : null;
        ScoreSettings score = in.score();
        Threshold threshold = stored == null ? null : new Threshold(stored.value(), stored.method(), stored.fittedOn(),
                stored.score() != null ? stored.score() : score);
        Map<String, String> provenance = in.map();
        Map<String, String> properties = in.map();

        List<VaeNetwork> members = new ArrayList<>();
        members.add(readNetwork(in, version, arch));
        if (version >= ENSEMBLE_VERSION) {
            int more = in.buffer.getInt();
            if (more < 1 || more >= MAX_MEMBERS) {
                throw new ModelFormatException(in.source + ": malformed model file (an ensemble with " + (more + 1)
                        + " members; expected 2.." + MAX_MEMBERS + ")");
            }
            for (int m = 0; m < more; m++) {
                VaeNetwork member = readNetwork(in, version, arch);
                if (!(member instanceof NativeNetwork)) {
                    throw new ModelFormatException(in.source + ": malformed model file (ensemble member " + (m + 2)
                            + " is a " + member.backend() + " network; ensembles hold native networks only)");
                }
                members.add(member);
            }
            if (!(members.get(0) instanceof NativeNetwork)) {
                throw new ModelFormatException(in.source + ": malformed model file (the ensemble's first member is a "
                        + members.get(0).backend() + " network; ensembles hold native networks only)");
            }
        }
        if (in.buffer.hasRemaining()) {
            throw new ModelFormatException(in.source + ": malformed model file (" + in.buffer.remaining()
                    + " unread payload bytes)");
        }
        VaeModel.Builder b = VaeModel.builder(members).scaler(scaler).featureNames(featureNames).seed(seed)
                .threshold(threshold).scoreSettings(score).provenance(provenance);
        properties.forEach(b::property);
        return b.build();
    }

    /** One network of a payload, as {@link #writeNetwork} wrote it. */
    private static VaeNetwork readNetwork(Reader in, int version, Architecture arch) throws ModelFormatException {
        String backend = in.string();
        if (version == ENSEMBLE_VERSION - 1 && !(backend.equals("native") && arch.likelihoodParameterCount() > 0)) {
            // Version 3 differs from 2 only there, and such models are written as 2: the header is damaged.
            throw new ModelFormatException(in.source + ": model file format version " + version + " holds only native "
                    + "networks whose likelihood owns parameters, but this one is a " + backend + " "
                    + arch.likelihood().id() + " model (damaged header?)");
        }
        VaeNetwork network;
        if (backend.equals("native")) {
            float[] parameters = in.floats("parameters");
            long expected = parameterCount(arch, version);
            if (parameters.length != expected) {
                throw new ModelFormatException(in.source + ": malformed model file (" + arch.describe() + " needs "
                        + expected + " parameters, the file has " + parameters.length + ")");
            }
            VaeObjective objective = new VaeObjective(arch, Kernels.best());
            if (version <= SHARED_OUTPUT_LAYOUT_VERSION) {
                // The likelihood's own parameters were decoder outputs then: their weights must be 0, their biases
                // are the values.
                parameters = objective.fromSharedOutputLayout(parameters, "Parameter");
            }
            network = new NativeNetwork(objective, parameters);
        } else {
            Map<String, String> settings = in.map();
            int count = in.count("artifacts", 8);
            Map<String, byte[]> artifacts = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.string();
                int len = in.count("artifact " + name, 1);
                byte[] data = new byte[len];
                in.buffer.get(data);
                artifacts.put(name, data);
            }
            network = loadPortable(in.source, backend, arch, artifacts, settings);
        }
        return network;
    }

    private static VaeNetwork loadPortable(String source, String backend, Architecture arch,
                                           Map<String, byte[]> artifacts, Map<String, String> settings)
            throws ModelFormatException {
        for (NetworkProvider provider : ServiceLoader.load(NetworkProvider.class, ModelFile.class.getClassLoader())) {
            if (provider.backend().equals(backend)) {
                try {
                    return provider.load(arch, artifacts, settings);
                } catch (IOException e) {
                    throw new ModelFormatException(source + ": cannot load the " + backend + " network: " + e.getMessage(), e);
                }
            }
        }
        throw new ModelFormatException(source + ": the model runs on backend '" + backend
                + "', which is not on the class path (add the module that provides it, e.g. vae-onnx)");
    }

    private static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        b.asFloatBuffer().put(values);
        out.write(b.array());
    }

    private static void writeScore(DataOutputStream out, ScoreSettings score) throws IOException {
        writeString(out, score.kind().id());
        out.writeInt(score.samples());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        Map<String, String> sorted = new TreeMap<>(map);
        out.writeInt(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    /** Bounds-checked payload reading. */
    private static final class Reader {
        final ByteBuffer buffer;
        final String source;

        Reader(ByteBuffer buffer, String source) {
            this.buffer = buffer;
            this.source = source;
        }

        int count(String what, int bytesEach) throws ModelFormatException {
            int n = buffer.getInt();
            if (n < 0 || (long) n * bytesEach > buffer.remaining()) {
                throw new ModelFormatException(source + ": malformed model file (" + what + " count " + n
                        + " exceeds the " + buffer.remaining() + " bytes left)");
            }
            return n;
        }

        int positive(String what) throws ModelFormatException {
            int v = buffer.getInt();
            if (v < 1 || v > Architecture.MAX_WIDTH) {
                throw new ModelFormatException(source + ": malformed model file (" + what + " " + v + ")");
            }
            return v;
        }

        boolean bool() throws ModelFormatException {
            byte b = buffer.get();
            if (b != 0 && b != 1) {
                throw new ModelFormatException(source + ": malformed model file (flag byte " + b + ")");
            }
            return b == 1;
        }

        List<Integer> ints(String what) throws ModelFormatException {
            int n = count(what, 4);
            List<Integer> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(buffer.getInt());
            }
            return out;
        }

        float[] floats(String what) throws ModelFormatException {
            int n = count(what, 4);
            float[] out = new float[n];
            buffer.asFloatBuffer().get(out);
            buffer.position(buffer.position() + 4 * n);
            return out;
        }

        ScoreSettings score() throws ModelFormatException {
            return new ScoreSettings(ScoreKind.parse(string()), buffer.getInt());
        }

        String string() throws ModelFormatException {
            int n = count("string", 1);
            byte[] b = new byte[n];
            buffer.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        Map<String, String> map() throws ModelFormatException {
            int n = count("map", 8);
            Map<String, String> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                m.put(string(), string());
            }
            return m;
        }
    }
}
