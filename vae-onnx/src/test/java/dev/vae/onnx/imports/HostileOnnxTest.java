package dev.vae.onnx.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OnnxModelBytes;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile ONNX files get a clear error naming the file, never a crash or a huge allocation. */
class HostileOnnxTest {

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(SharedData.require("fixtures/pytorch-mnist/" + name));
    }

    private static OnnxImportOptions nativeOptions() {
        return OnnxImportOptions.defaults().withBackend(OnnxImportOptions.Backend.NATIVE);
    }

    @Test
    void givenEmptyOrRandomOrTruncatedBytes_whenImported_thenErrorNamesTheFile() throws Exception {
        byte[] dec = fixture("decoder.onnx");
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        byte[] enc = fixture("encoder.onnx");
        for (byte[] bad : new byte[][] {new byte[0], random, Arrays.copyOf(enc, enc.length / 2), "hello".getBytes()}) {
            assertThatThrownBy(() -> OnnxImporter.importModel(bad, "bad.onnx", dec, "decoder.onnx", OnnxImportOptions.defaults()))
                    .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("bad.onnx: ");
        }
    }

    @Test
    void givenFileLargerThanTheLimit_whenImported_thenRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.onnx");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(OnnxModelBytes.MAX_BYTES + 1); // sparse: no bytes are written
        }
        Path dec = SharedData.require("fixtures/pytorch-mnist/decoder.onnx");
        assertThatThrownBy(() -> OnnxImporter.importModel(big, dec, OnnxImportOptions.defaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("big.onnx").hasMessageContaining("larger");
    }

    @Test
    void givenCustomDomainOperator_whenImported_thenRefusedWithTheOperatorName() throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(fixture("encoder.onnx"));
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setDomain("com.evil").setOpType("Backdoor"));
        byte[] bad = m.toBuilder().setGraph(g).build().toByteArray();
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, "evil.onnx", fixture("decoder.onnx"), "decoder.onnx",
                OnnxImportOptions.defaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("evil.onnx").hasMessageContaining("com.evil:Backdoor");
    }

    @Test
    void givenRandomOperator_whenImported_thenRefusedBecauseScoresMustBeDeterministic() throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(fixture("encoder.onnx"));
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("RandomNormalLike").setName("noise")
                .addInput("mu").addOutput("noise_out"));
        byte[] bad = m.toBuilder().setGraph(g).build().toByteArray();
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, "noisy.onnx", fixture("decoder.onnx"), "decoder.onnx",
                OnnxImportOptions.defaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("RandomNormalLike");
    }

    @Test
    void givenUnsupportedOperatorInTheMlp_whenConvertedToNative_thenRefusedWithTheOperatorName() throws Exception {
        // Replace the hidden Relu by Elu: ONNX Runtime runs it, the native network cannot.
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(fixture("encoder.onnx"));
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setOpType("Elu"));
        byte[] elu = m.toBuilder().setGraph(g).build().toByteArray();
        assertThatThrownBy(() -> OnnxImporter.importModel(elu, "elu.onnx", fixture("decoder.onnx"), "decoder.onnx",
                nativeOptions()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("elu.onnx").hasMessageContaining("'Elu'");
        // The ONNX Runtime backend accepts it: a standard operator.
        assertThat(OnnxImporter.importModel(elu, "elu.onnx", fixture("decoder.onnx"), "decoder.onnx",
                OnnxImportOptions.defaults()).network().backend()).isEqualTo("onnx");
    }

    @Test
    void givenTensorWhoseHeaderClaimsHugeDimensions_whenConverted_thenRefusedWithoutAllocating() throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(fixture("encoder.onnx"));
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        OnnxMl.TensorProto w = g.getInitializer(0);
        g.setInitializer(0, w.toBuilder().clearDims().addDims(400_000L).addDims(784_000L)
                .setRawData(ByteString.copyFrom(new byte[16])));
        byte[] bad = m.toBuilder().setGraph(g).build().toByteArray();
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, "huge.onnx", fixture("decoder.onnx"), "decoder.onnx",
                nativeOptions()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("huge.onnx").hasMessageContaining("too large");
        // A header that declares more values than the bytes hold.
        g.setInitializer(0, w.toBuilder().setRawData(ByteString.copyFrom(new byte[16])));
        byte[] lying = m.toBuilder().setGraph(g).build().toByteArray();
        assertThatThrownBy(() -> OnnxImporter.importModel(lying, "short.onnx", fixture("decoder.onnx"), "decoder.onnx",
                nativeOptions()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("short.onnx").hasMessageContaining("declares");
    }

    @Test
    void givenExternalData_whenImported_thenRefusedNamingTheTensor() throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(fixture("encoder.onnx"));
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        g.setInitializer(0, g.getInitializer(0).toBuilder().clearRawData()
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("/etc/passwd")));
        byte[] bad = m.toBuilder().setGraph(g).build().toByteArray();
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, "ext.onnx", fixture("decoder.onnx"), "decoder.onnx",
                OnnxImportOptions.defaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("ext.onnx")
                .hasMessageContaining("vae.enc.0.weight").hasMessageContaining("external");
    }

    @Test
    void givenWrongOutputName_whenImported_thenErrorListsTheOutputs() throws Exception {
        assertThatThrownBy(() -> OnnxImporter.importModel(fixture("encoder.onnx"), "encoder.onnx", fixture("decoder.onnx"),
                "decoder.onnx", OnnxImportOptions.defaults().withDecoderNames(null, java.util.List.of("recon"))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("decoder.onnx: has no output 'recon' (outputs: [x_logits, x_prob])");
    }

    @Test
    void givenDecoderProbabilitiesInsteadOfLogits_whenConvertedToNative_thenRefusedPointingAtTheLogits() throws Exception {
        assertThatThrownBy(() -> OnnxImporter.importModel(fixture("encoder.onnx"), "encoder.onnx", fixture("decoder.onnx"),
                "decoder.onnx", nativeOptions().withDecoderNames(null, java.util.List.of("x_prob"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("Sigmoid").hasMessageContaining("logits");
    }
}
