package dev.vae.anomaly.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamStateTest {

    /** A cap below the peaks to come (so the reservoir replaces peaks) and lazy refits. */
    private static final SpotSettings SETTINGS = new SpotSettings(1e-3, 0.98, 150, 0.1);
    private static final int CALIBRATION = 5_000;

    @TempDir
    Path dir;

    private static double[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // A slow drift under exponential noise, and now and then an outlier.
            v[i] = 1e-4 * i - Math.log(1 - r.nextDouble()) + (i % 2_503 == 1_000 ? 30 : 0);
        }
        return v;
    }

    private static StreamingThreshold start(StreamState.Kind kind) {
        double[] calibration = values(CALIBRATION, 31);
        return kind == StreamState.Kind.SPOT ? PeaksOverThreshold.calibrate(calibration, SETTINGS)
                : DriftPeaksOverThreshold.calibrate(calibration, DriftPeaksOverThreshold.DEFAULT_DEPTH, SETTINGS);
    }

    private static long[] bits(StreamVerdict v) {
        return new long[] {Double.doubleToRawLongBits(v.score()), Double.doubleToRawLongBits(v.threshold()),
                v.anomaly() ? 1 : 0};
    }

    /**
     * Feeds 30,000 values uninterrupted, and again with the state saved to a file, read back into a new object and
     * continued at three points: every verdict and the final state are the same bits. The first save point falls
     * after the cap was reached and between two refits, so the reservoir and the refit counter are exercised.
     */
    @ParameterizedTest
    @EnumSource(StreamState.Kind.class)
    void givenAStream_whenSavedAndLoadedPartWay_thenTheRestIsBitIdenticalToAnUninterruptedRun(StreamState.Kind kind)
            throws IOException {
        double[] stream = values(30_000, 32);
        StreamingThreshold uninterrupted = start(kind);
        List<long[]> expected = new ArrayList<>();
        for (double x : stream) {
            expected.add(bits(uninterrupted.update(x)));
        }

        Path file = StreamState.besideModel(dir.resolve("model.vae"));
        List<Integer> savePoints = List.of(4_001, 9_001, 21_113);
        StreamingThreshold current = start(kind);
        for (int i = 0; i < stream.length; i++) {
            if (savePoints.contains(i)) {
                StreamState state = current.state();
                if (i == savePoints.get(0)) {
                    assertThat(state.changesSinceFit()).isPositive();
                    assertThat(state.peakCount()).isGreaterThan(state.retainedPeaks());
                }
                current.save(file);
                current = StreamingThreshold.load(file);
                assertThat(current.state()).isEqualTo(state);
            }
            assertThat(bits(current.update(stream[i]))).as("value %d", i).isEqualTo(expected.get(i));
        }
        assertThat(current.state().toText()).isEqualTo(uninterrupted.state().toText());
        assertThat(file.getFileName().toString()).isEqualTo("model.vae.stream-state");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.vae.stream-state");
        }
    }

    @Test
    void givenADspotState_whenWritten_thenItDescribesItselfAndReadsBackEqual() throws IOException {
        StreamingThreshold dspot = start(StreamState.Kind.DSPOT);
        StreamState state = dspot.state();
        String text = state.toText();

        assertThat(text).startsWith("vae-stream-state 1\n").contains("\nkind dspot\n", "\ndepth 10\n", "\nwindow 10 ",
                "\nmax-peaks 150\n", "\npeaks 100 ", "\nsha256 ");
        assertThat(StreamState.parse(text, "memory")).isEqualTo(state);
        Path file = dir.resolve("dspot.stream-state");
        state.write(file);
        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(StreamState.read(file)).isEqualTo(state);
        assertThat(StreamingThreshold.load(file)).isInstanceOf(DriftPeaksOverThreshold.class);
        assertThat(StreamingThreshold.load(file).threshold()).isEqualTo(dspot.threshold());
    }

    /** The SHA-256 line of {@code body}, computed here independently of the class. */
    private static String signed(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return body + "sha256 " + HexFormat.of().formatHex(digest) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String body(String text) {
        return text.substring(0, text.lastIndexOf("sha256 "));
    }

    /** Writes {@code text} to a file and expects reading it to fail with a message naming the file and {@code what}. */
    private void refused(String name, String text, String... what) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        assertThatThrownBy(() -> StreamState.read(file)).isInstanceOf(StreamStateException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContainingAll(what);
        assertThatThrownBy(() -> StreamingThreshold.load(file)).isInstanceOf(StreamStateException.class);
    }

    private String edited(StreamState.Kind kind, UnaryOperator<String> edit) {
        return signed(edit.apply(body(start(kind).state().toText())));
    }

    @Test
    void givenAnotherVersionOrADamagedFile_whenRead_thenRefusedNamingThePath() throws IOException {
        String text = start(StreamState.Kind.SPOT).state().toText();
        refused("v2", text.replace("vae-stream-state 1\n", "vae-stream-state 2\n"), "format version '2'",
                "reads version 1 only");
        refused("v0", signed(body(text).replace("vae-stream-state 1\n", "vae-stream-state 0\n")), "format version '0'");
        assertThat(text).contains("\nobservations 5000\n");
        refused("flipped", text.replace("\nobservations 5000\n", "\nobservations 5001\n"), "corrupted", "checksum mismatch");
        refused("truncated", text.substring(0, text.length() / 2), "truncated");
        refused("unterminated", text.substring(0, text.length() - 1), "truncated");
        refused("empty", "", "not a stream-state file");
        refused("other", "\u0089VAE\r\n\u001a\n binary model bytes", "not a stream-state file");
    }

    @Test
    void givenAValidChecksumOverBadContent_whenRead_thenRefusedNamingTheKey() throws IOException {
        StreamState.Kind spot = StreamState.Kind.SPOT;
        StreamState.Kind dspot = StreamState.Kind.DSPOT;
        refused("unknown", edited(spot, b -> b + "colour blue\n"), "line ", "unknown key 'colour'");
        refused("repeated", edited(spot, b -> b + "risk 0x1.0p-10\n"), "repeated key 'risk'");
        refused("missing", edited(spot, b -> b.replaceAll("\nz [^\n]*\n", "\n")), "invalid stream state", "missing key 'z'");
        refused("nan", edited(spot, b -> b.replaceAll("\nrisk [^\n]*\n", "\nrisk abc\n")), "key 'risk' is not a number: 'abc'");
        refused("risk", edited(spot, b -> b.replaceAll("\nrisk [^\n]*\n", "\nrisk 0x1.0p1\n")), "Invalid POT risk: 2.0");
        refused("count", edited(spot, b -> b.replaceFirst("\npeaks 100 ", "\npeaks 101 ")), "key 'peaks' announces 101 values but holds 100");
        refused("negative", edited(spot, b -> b.replaceFirst("\npeaks 100 [^ ]*", "\npeaks 100 -0x1.0p0")), "peak 0 is not positive");
        refused("changes", edited(spot, b -> b.replaceAll("\nchanges-since-fit [^\n]*\n", "\nchanges-since-fit 10\n")),
                "changes since the last fit 10 out of range (a refit comes every 10 changes)");
        refused("counts", edited(spot, b -> b.replaceAll("\npeak-count [^\n]*\n", "\npeak-count 3\n")), "counts that do not fit");
        refused("kind", edited(spot, b -> b.replace("\nkind spot\n", "\nkind sspot\n")), "Unknown kind 'sspot'");
        refused("foreign", edited(spot, b -> b + "depth 10\n"), "key 'depth' does not belong to a spot state");
        refused("window", edited(dspot, b -> b.replaceFirst("\nwindow 10 [^ ]*", "\nwindow 9")),
                "a dspot state with depth 10 and a window of 9 values");
        refused("depth", edited(dspot, b -> b.replace("\ndepth 10\n", "\ndepth 0\n")), "key 'depth' is out of range");
    }

    @Test
    void givenAFolderOrNoFile_whenRead_thenClearErrors() {
        assertThatThrownBy(() -> StreamState.read(dir)).isInstanceOf(StreamStateException.class)
                .hasMessageContaining(dir + ": is a folder");
        assertThatThrownBy(() -> StreamingThreshold.load(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("absent");
        assertThatThrownBy(() -> PeaksOverThreshold.restore(start(StreamState.Kind.DSPOT).state()))
                .hasMessageContaining("Not a SPOT state: dspot");
        assertThatThrownBy(() -> DriftPeaksOverThreshold.restore(start(StreamState.Kind.SPOT).state()))
                .hasMessageContaining("Not a DSPOT state: spot");
    }
}
