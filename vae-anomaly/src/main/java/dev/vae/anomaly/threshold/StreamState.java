package dev.vae.anomaly.threshold;

import dev.vae.core.io.AtomicFiles;
import dev.vae.core.io.FileBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import dev.vae.core.naming.Identified;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The complete state of a {@link StreamingThreshold}: everything needed to continue its stream bit for bit after a
 * restart. Immutable (arrays are copied in and out); checked when built, so a state that exists fits together.
 *
 * <p><b>File format</b> ({@link #toText}, {@link #write}, {@link #read}): UTF-8 text, one {@code key value...}
 * line each, so that a person can read it. The first line is {@code vae-stream-state 1} (the format and its
 * version); lines starting with {@code #} are comments; the last line is {@code sha256 <hex>}, the SHA-256 of every
 * byte before it. Doubles are written in Java's exact hexadecimal form ({@link Double#toHexString}), which reads
 * back to the same bits. The keys, in the order written:
 * <ul>
 *   <li>{@code kind}: {@code spot} or {@code dspot};</li>
 *   <li>{@code risk}, {@code level}, {@code max-peaks}, {@code refit-fraction}: the {@link SpotSettings};</li>
 *   <li>{@code initial-threshold} (t), {@code observations} (n), {@code peak-count} (N_t, peaks the sample
 *       dropped included), {@code changes-since-fit} (for the lazy refit), {@code gamma} and {@code sigma} (the
 *       tail of the last fit), {@code z} (z_q; for DSPOT on the residuals);</li>
 *   <li>{@code peaks}: a count, then the kept excesses in fit order;</li>
 *   <li>for DSPOT only, {@code depth} (d) and {@code window}: a count (d), then the last d normal values, oldest
 *       first.</li>
 * </ul>
 * A reader refuses, with a {@link StreamStateException} naming the file: a file of another format or version, a
 * file whose checksum does not match (truncated or corrupted), a missing, repeated or unknown key, a malformed
 * value, and a state whose parts do not fit together.
 */
public final class StreamState {

    /** The format version this build writes and reads; a state of any other version is refused. */
    public static final int FORMAT_VERSION = 1;

    /** The first word of every state file. */
    public static final String MAGIC = "vae-stream-state";

    /** The suffix {@link #besideModel} appends to a model file's name. */
    public static final String SUFFIX = ".stream-state";

    /** Largest state file a reader accepts (1 GiB); a capped stream's state is far smaller. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private static final String CHECKSUM_KEY = "sha256";
    private static final List<String> SPOT_KEYS = List.of("kind", "risk", "level", "max-peaks", "refit-fraction",
            "initial-threshold", "observations", "peak-count", "changes-since-fit", "gamma", "sigma", "z", "peaks");
    private static final List<String> DSPOT_KEYS = concat(SPOT_KEYS, "depth", "window");

    /** Which algorithm a state belongs to. */
    public enum Kind implements Identified {
        /** {@link PeaksOverThreshold}. */
        SPOT,
        /** {@link DriftPeaksOverThreshold}. */
        DSPOT;

        static Kind parse(String id) {
            return Identified.parse(Kind.class, id, "kind");
        }
    }

    private final Kind kind;
    private final SpotSettings settings;
    private final double initialThreshold;
    private final long observations;
    private final long peakCount;
    private final int changesSinceFit;
    private final GeneralizedPareto tail;
    private final double threshold;
    private final double[] peaks;
    private final int depth;
    private final double[] window;

    private StreamState(Kind kind, SpotSettings settings, double initialThreshold, long observations, long peakCount,
                        int changesSinceFit, GeneralizedPareto tail, double threshold, double[] peaks, int depth,
                        double[] window) {
        this.kind = kind;
        this.settings = settings;
        this.initialThreshold = initialThreshold;
        this.observations = observations;
        this.peakCount = peakCount;
        this.changesSinceFit = changesSinceFit;
        this.tail = tail;
        this.threshold = threshold;
        this.peaks = peaks;
        this.depth = depth;
        this.window = window;
        check();
    }

    private void check() {
        int retained = peaks.length;
        if (retained < 2 || retained > settings.maxPeaks()) {
            throw new IllegalArgumentException(retained + " peaks kept, expected 2 to " + settings.maxPeaks());
        }
        if (peakCount < retained || observations < peakCount) {
            throw new IllegalArgumentException("counts that do not fit together: " + retained + " peaks kept, "
                    + peakCount + " counted, " + observations + " observations");
        }
        if (!Double.isFinite(initialThreshold) || !Double.isFinite(threshold) || threshold < initialThreshold) {
            throw new IllegalArgumentException("invalid thresholds: t = " + initialThreshold + ", z = " + threshold);
        }
        for (int i = 0; i < retained; i++) {
            if (!(peaks[i] > 0) || !Double.isFinite(peaks[i])) {
                throw new IllegalArgumentException("peak " + i + " is not positive and finite: " + peaks[i]);
            }
        }
        int perRefit = settings.peaksPerRefit(retained);
        if (changesSinceFit < 0 || changesSinceFit >= perRefit) {
            throw new IllegalArgumentException("changes since the last fit " + changesSinceFit
                    + " out of range (a refit comes every " + perRefit + " changes)");
        }
        if (kind == Kind.SPOT ? depth != 0 || window.length != 0 : depth < 1 || window.length != depth) {
            throw new IllegalArgumentException("a " + kind.id() + " state with depth " + depth + " and a window of "
                    + window.length + " values");
        }
        for (int i = 0; i < window.length; i++) {
            if (!Double.isFinite(window[i])) {
                throw new IllegalArgumentException("window value " + i + " is not finite: " + window[i]);
            }
        }
    }

    /** The state of a SPOT stream. */
    static StreamState spot(PeaksOverThreshold p) {
        return of(Kind.SPOT, p, 0, new double[0]);
    }

    /** The state of a DSPOT stream: its residual SPOT, depth and window (oldest first). */
    static StreamState dspot(PeaksOverThreshold residuals, int depth, double[] window) {
        return of(Kind.DSPOT, residuals, depth, window.clone());
    }

    private static StreamState of(Kind kind, PeaksOverThreshold p, int depth, double[] window) {
        return new StreamState(kind, p.settings(), p.initialThreshold(), p.observations(), p.peakCount(),
                p.changesSinceFit(), p.tail(), p.threshold(), p.peaksCopy(), depth, window);
    }

    /** Which algorithm this state belongs to. */
    public Kind kind() {
        return kind;
    }

    /** The settings of the (residual) SPOT. */
    public SpotSettings settings() {
        return settings;
    }

    /** The drift window's depth d (0 for SPOT). */
    public int depth() {
        return depth;
    }

    /** The number of normal scores n learnt from, calibration included. */
    public long observations() {
        return observations;
    }

    /** The number of peaks N_t counted since calibration began, those not kept included. */
    public long peakCount() {
        return peakCount;
    }

    /** The number of peaks kept. */
    public int retainedPeaks() {
        return peaks.length;
    }

    double initialThreshold() {
        return initialThreshold;
    }

    int changesSinceFit() {
        return changesSinceFit;
    }

    GeneralizedPareto tail() {
        return tail;
    }

    /** z_q of the (residual) SPOT. */
    double tailThreshold() {
        return threshold;
    }

    double[] peaks() {
        return peaks.clone();
    }

    /** The window, oldest first. */
    double[] window() {
        return window.clone();
    }

    /** Where the state of a stream scored by {@code model} lives by convention: {@code <model file>.stream-state}. */
    public static Path besideModel(Path model) {
        Path name = model.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("Not a model file path: " + model);
        }
        return model.resolveSibling(name + SUFFIX);
    }

    /** Atomically writes this state to {@code path} ({@link AtomicFiles}): the previous file survives any failure. */
    public void write(Path path) throws IOException {
        byte[] bytes = toText().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /**
     * Reads a state file.
     *
     * @throws StreamStateException naming the file when it is not a valid state of {@link #FORMAT_VERSION}
     * @throws java.nio.file.NoSuchFileException when it does not exist
     */
    public static StreamState read(Path path) throws IOException {
        byte[] bytes = FileBytes.read(path, MAX_FILE_BYTES, "stream-state file", StreamStateException::new);
        return parse(new String(bytes, StandardCharsets.UTF_8), path.toString());
    }

    /** The state in the file format (see the class comment). */
    public String toText() {
        StringBuilder b = new StringBuilder(64 + 48 * peaks.length + 24 * window.length);
        b.append(MAGIC).append(' ').append(FORMAT_VERSION).append('\n');
        b.append("# Streaming threshold state (SPOT/DSPOT, Siffer et al. KDD 2017), read by "
                + "dev.vae.anomaly.threshold.StreamState.\n");
        b.append("# Doubles are exact hexadecimal (Double.toHexString); the last line is the SHA-256 of the lines above.\n");
        b.append(String.format(Locale.ROOT, "# In decimal: z %.9g (on the residuals for dspot), t %.9g, gamma %.6g,"
                + " sigma %.6g\n", threshold, initialThreshold, tail.gamma(), tail.sigma()));
        line(b, "kind", kind.id());
        line(b, "risk", hex(settings.risk()));
        line(b, "level", hex(settings.level()));
        line(b, "max-peaks", Integer.toString(settings.maxPeaks()));
        line(b, "refit-fraction", hex(settings.refitFraction()));
        line(b, "initial-threshold", hex(initialThreshold));
        line(b, "observations", Long.toString(observations));
        line(b, "peak-count", Long.toString(peakCount));
        line(b, "changes-since-fit", Integer.toString(changesSinceFit));
        line(b, "gamma", hex(tail.gamma()));
        line(b, "sigma", hex(tail.sigma()));
        line(b, "z", hex(threshold));
        b.append("peaks ").append(peaks.length);
        for (double p : peaks) {
            b.append(' ').append(hex(p));
        }
        b.append('\n');
        if (kind == Kind.DSPOT) {
            line(b, "depth", Integer.toString(depth));
            b.append("window ").append(window.length);
            for (double w : window) {
                b.append(' ').append(hex(w));
            }
            b.append('\n');
        }
        String body = b.toString();
        return body + CHECKSUM_KEY + ' ' + checksum(body) + '\n';
    }

    /**
     * Reads a state from its file format; {@code source} names it in error messages.
     *
     * @throws StreamStateException naming the source when the text is not a valid state of {@link #FORMAT_VERSION}
     */
    public static StreamState parse(String text, String source) throws StreamStateException {
        int firstEnd = text.indexOf('\n');
        String first = firstEnd < 0 ? text : text.substring(0, firstEnd);
        if (!first.startsWith(MAGIC + " ")) {
            throw new StreamStateException(source + ": not a stream-state file (it should begin with '" + MAGIC + " "
                    + FORMAT_VERSION + "')");
        }
        String version = first.substring(MAGIC.length() + 1).trim();
        if (!version.equals(Integer.toString(FORMAT_VERSION))) {
            throw new StreamStateException(source + ": stream-state format version '" + version
                    + "', but this build reads version " + FORMAT_VERSION + " only");
        }
        int lastStart = text.endsWith("\n") ? text.lastIndexOf('\n', text.length() - 2) + 1 : -1;
        String last = lastStart > 0 ? text.substring(lastStart, text.length() - 1) : "";
        if (!last.startsWith(CHECKSUM_KEY + " ")) {
            throw new StreamStateException(source + ": truncated stream-state file (it does not end with its "
                    + CHECKSUM_KEY + " line)");
        }
        String body = text.substring(0, lastStart);
        if (!last.substring(CHECKSUM_KEY.length() + 1).equals(checksum(body))) {
            throw new StreamStateException(source + ": corrupted stream-state file (checksum mismatch)");
        }
        Map<String, String[]> fields = new LinkedHashMap<>();
        String[] lines = body.split("\n", -1);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split(" ", -1);
            if (!DSPOT_KEYS.contains(words[0])) {
                throw new StreamStateException(source + ": line " + (i + 1) + ": unknown key '" + words[0] + "'");
            }
            if (fields.put(words[0], Arrays.copyOfRange(words, 1, words.length)) != null) {
                throw new StreamStateException(source + ": line " + (i + 1) + ": repeated key '" + words[0] + "'");
            }
        }
        try {
            Fields f = new Fields(fields);
            Kind kind = Kind.parse(f.word("kind"));
            List<String> keys = kind == Kind.SPOT ? SPOT_KEYS : DSPOT_KEYS;
            for (String key : keys) {
                if (!fields.containsKey(key)) {
                    throw new IllegalArgumentException("missing key '" + key + "'");
                }
            }
            for (String key : fields.keySet()) {
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException("key '" + key + "' does not belong to a " + kind.id() + " state");
                }
            }
            SpotSettings settings = new SpotSettings(f.real("risk"), f.real("level"),
                    (int) f.whole("max-peaks", 2, Integer.MAX_VALUE), f.real("refit-fraction"));
            GeneralizedPareto tail = new GeneralizedPareto(f.real("gamma"), f.real("sigma"));
            double[] peaks = f.reals("peaks", settings.maxPeaks());
            int depth = kind == Kind.DSPOT ? (int) f.whole("depth", 1, Integer.MAX_VALUE) : 0;
            double[] window = kind == Kind.DSPOT ? f.reals("window", depth) : new double[0];
            return new StreamState(kind, settings, f.real("initial-threshold"), f.whole("observations", 0, Long.MAX_VALUE),
                    f.whole("peak-count", 0, Long.MAX_VALUE), (int) f.whole("changes-since-fit", 0, Integer.MAX_VALUE),
                    tail, f.real("z"), peaks, depth, window);
        } catch (IllegalArgumentException e) {
            throw new StreamStateException(source + ": invalid stream state: " + e.getMessage(), e);
        }
    }

    /**
     * The typed values of a state file's keys (every key present); a failure is an {@link IllegalArgumentException}
     * naming the key.
     */
    private record Fields(Map<String, String[]> map) {

        /** The single word of {@code key}. */
        String word(String key) {
            String[] v = map.get(key);
            if (v == null) {
                throw new IllegalArgumentException("missing key '" + key + "'");
            }
            if (v.length != 1 || v[0].isEmpty()) {
                throw new IllegalArgumentException("key '" + key + "' needs one value, got '" + String.join(" ", v) + "'");
            }
            return v[0];
        }

        double real(String key) {
            return real("key '" + key + "'", word(key));
        }

        long whole(String key, long min, long max) {
            return whole("key '" + key + "'", word(key), min, max);
        }

        double[] reals(String key, long maxCount) {
            String[] words = counted(key, maxCount);
            double[] out = new double[words.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = real("value " + i + " of key '" + key + "'", words[i]);
            }
            return out;
        }

        /** A counted list: its count (at most {@code maxCount}), then exactly that many values. */
        private String[] counted(String key, long maxCount) {
            String[] v = map.get(key);
            if (v == null || v.length == 0 || v[0].isEmpty()) {
                throw new IllegalArgumentException("key '" + key + "' needs a count");
            }
            long count = whole("the count of key '" + key + "'", v[0], 0, maxCount);
            if (v.length - 1 != count) {
                throw new IllegalArgumentException("key '" + key + "' announces " + count + " values but holds "
                        + (v.length - 1));
            }
            return Arrays.copyOfRange(v, 1, v.length);
        }

        private static double real(String what, String text) {
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " is not a number: '" + text + "'");
            }
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " is not finite: '" + text + "'");
            }
            return v;
        }

        private static long whole(String what, String text, long min, long max) {
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " is not a whole number: '" + text + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(what + " is out of range [" + min + ", " + max + "]: " + v);
            }
            return v;
        }
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append(' ').append(value).append('\n');
    }

    /** The SHA-256 of the UTF-8 bytes of {@code body}, in lower-case hexadecimal: the file's last line. */
    private static String checksum(String body) {
        return HexFormat.of().formatHex(FileBytes.sha256(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String hex(double v) {
        return Double.toHexString(v);
    }

    private static List<String> concat(List<String> head, String... tail) {
        String[] all = Arrays.copyOf(head.toArray(new String[0]), head.size() + tail.length);
        System.arraycopy(tail, 0, all, head.size(), tail.length);
        return List.of(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamState s && kind == s.kind && settings.equals(s.settings)
                && Double.compare(initialThreshold, s.initialThreshold) == 0 && observations == s.observations
                && peakCount == s.peakCount && changesSinceFit == s.changesSinceFit && tail.equals(s.tail)
                && Double.compare(threshold, s.threshold) == 0 && Arrays.equals(peaks, s.peaks) && depth == s.depth
                && Arrays.equals(window, s.window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, settings, initialThreshold, observations, peakCount, changesSinceFit, tail, threshold,
                Arrays.hashCode(peaks), depth, Arrays.hashCode(window));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StreamState[%s, q=%s, n=%d, peaks=%d (kept %d), z=%.6g, depth=%d]",
                kind.id(), settings.risk(), observations, peakCount, peaks.length, threshold, depth);
    }
}
