package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path dir;

    private static VaeModel model() {
        Architecture a = Architecture.defaults(4).withLikelihood(BernoulliLikelihood.INSTANCE).withModelType(ModelType.AE);
        return VaeModel.builder(NativeNetwork.initialize(a, 3))
                .scaler(new Scaler(ScalingKind.MIN_MAX, new float[] {0, 0, 0, 0}, new float[] {255, 255, 255, 255}))
                .featureNames(List.of("a", "b", "c", "d"))
                .seed(99)
                .threshold(new Threshold(12.5, "contamination:0.05", "validation split, 100 rows", ScoreSettings.defaults()))
                .scoreSettings(new ScoreSettings(ScoreKind.IWAE, 8))
                .provenance("trainer.epochs", "3")
                .property("pot.state", "x")
                .build();
    }

    @Test
    void givenAModel_whenWrittenAndRead_thenEveryFieldRoundTrips() throws Exception {
        VaeModel m = model();
        Path p = dir.resolve("m.vae");
        ModelFile.write(m, p);
        VaeModel back = ModelFile.read(p);
        assertThat(back.architecture()).isEqualTo(m.architecture());
        assertThat(back.network()).isEqualTo(m.network());
        assertThat(back.scaler()).isEqualTo(m.scaler());
        assertThat(back.featureNames()).isEqualTo(m.featureNames());
        assertThat(back.seed()).isEqualTo(99);
        assertThat(back.threshold()).isEqualTo(m.threshold());
        assertThat(back.scoreSettings()).isEqualTo(m.scoreSettings());
        assertThat(back.provenance()).isEqualTo(m.provenance());
        assertThat(back.properties()).isEqualTo(m.properties());
        assertThat(ModelFile.toBytes(back)).isEqualTo(ModelFile.toBytes(m));
    }

    @Test
    void givenAFileWhoseScoresDependOnAnotherConstant_whenRead_thenRefusedNamingBoth() throws Exception {
        Architecture a = Architecture.defaults(4).withLikelihood(LearnedVarianceGaussian.INSTANCE);
        VaeModel m = VaeModel.builder(NativeNetwork.initialize(a, 3)).build();
        byte[] bytes = ModelFile.toBytes(m);
        // The file as a build with another learned-variance bound would write it, checksum and all.
        byte[] other = rehashed(replace(bytes, "logvar-bound\0\0\0\3" + "3.0", "logvar-bound\0\0\0\3" + "7.0"));
        assertThatThrownBy(() -> ModelFile.fromBytes(other, "old.vae")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("old.vae").hasMessageContaining("likelihood.logvar-bound=7.0")
                .hasMessageContaining("likelihood.logvar-bound=3.0");
        assertThat(ModelFile.fromBytes(rehashed(bytes.clone()), "same.vae").network()).isEqualTo(m.network());
    }

    /**
     * A native model whose likelihood owns parameters is written as version 3, its parameters ending with them, and
     * reads back equal; a model without them is written as version 2, whose bytes earlier builds read. The header's
     * version is not under the checksum: a version-3 file read as 2 (the old layout) is refused for its parameter
     * count, a version-2 file read as 3 because it holds no own parameters.
     */
    @Test
    void givenModelsWithAndWithoutLikelihoodParameters_whenWritten_thenVersion3OnlyForThoseThatHaveThem()
            throws Exception {
        for (String lik : List.of("gaussian-shared", "student-t-shared:nu=5",
                "composite:gaussian-shared[0-1],bernoulli[2-3]")) {
            Architecture a = Architecture.defaults(4).withLikelihood(dev.vae.core.likelihood.Likelihoods.parse(lik));
            NativeNetwork net = NativeNetwork.initialize(a, 3);
            assertThat(net.likelihoodParameters()).as(lik).hasSize(a.likelihoodParameterCount()).isNotEmpty();
            VaeModel m = VaeModel.builder(net).build();
            byte[] bytes = ModelFile.toBytes(m);
            assertThat(version(bytes)).as(lik).isEqualTo(3);
            VaeModel back = ModelFile.fromBytes(bytes, lik);
            assertThat(back.network()).isEqualTo(m.network());
            assertThat(ModelFile.toBytes(back)).isEqualTo(bytes);
            bytes[11] = 2;
            assertThatThrownBy(() -> ModelFile.fromBytes(bytes, "v2.vae")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("v2.vae").hasMessageContaining("parameters");
        }
        byte[] plain = ModelFile.toBytes(model());
        assertThat(version(plain)).isEqualTo(2);
        plain[11] = 3;
        assertThatThrownBy(() -> ModelFile.fromBytes(plain, "v3.vae")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("v3.vae").hasMessageContaining("version 3").hasMessageContaining("bernoulli");
    }

    private static int version(byte[] file) {
        return java.nio.ByteBuffer.wrap(file, 8, 4).getInt();
    }

    /** {@code bytes} with the one occurrence of {@code from} replaced by {@code to} (of the same length). */
    private static byte[] replace(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                assertThat(found).as("one occurrence of %s", from).isEqualTo(-1);
                found = i;
            }
        }
        assertThat(found).as("occurrence of %s", from).isNotNegative();
        byte[] out = bytes.clone();
        System.arraycopy(t, 0, out, found, t.length);
        return out;
    }

    /** The file with its payload checksum recomputed, as a writer of that payload would have made it. */
    private static byte[] rehashed(byte[] bytes) throws Exception {
        int header = 8 + 4 + 8;
        byte[] payload = java.util.Arrays.copyOfRange(bytes, header + 32, bytes.length);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(payload);
        System.arraycopy(digest, 0, bytes, header, 32);
        return bytes;
    }

    @Test
    void givenATruncatedFile_whenRead_thenAClearErrorNamesTheFile() throws Exception {
        byte[] bytes = ModelFile.toBytes(model());
        for (int len : new int[] {0, 5, 20, 60, bytes.length / 2, bytes.length - 1}) {
            Path p = dir.resolve("t" + len + ".vae");
            Files.write(p, java.util.Arrays.copyOf(bytes, len));
            assertThatThrownBy(() -> ModelFile.read(p)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining(p.toString());
        }
    }

    @Test
    void givenAFlippedByte_whenRead_thenTheChecksumRefusesIt() throws Exception {
        byte[] bytes = ModelFile.toBytes(model());
        bytes[bytes.length - 7] ^= 0x10;
        Path p = dir.resolve("c.vae");
        Files.write(p, bytes);
        assertThatThrownBy(() -> ModelFile.read(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void givenANewerFormatVersion_whenRead_thenTheMessageSaysSo() throws Exception {
        byte[] bytes = ModelFile.toBytes(model());
        bytes[11] = 9;
        Path p = dir.resolve("v.vae");
        Files.write(p, bytes);
        assertThatThrownBy(() -> ModelFile.read(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("newer");
    }

    @Test
    void givenAnExistingModel_whenAWriteFails_thenThePreviousFileSurvivesAndNoTemporaryFileRemains() throws Exception {
        Path p = dir.resolve("keep.vae");
        ModelFile.write(model(), p);
        byte[] before = Files.readAllBytes(p);
        assertThatThrownBy(() -> AtomicFiles.write(p, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new java.io.IOException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("keep.vae");
        }
    }
}
