package dev.vae.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model of one network exports, byte for byte, the graphs the exporter wrote before it knew of ensembles:
 * resources {@code golden/export-v2/NAME/} hold a model file and its three graphs exported at commit cfc1985 (see the
 * README there).
 */
class GoldenExportTest {

    @ParameterizedTest
    @ValueSource(strings = {"gaussian-vae", "composite-vae", "gaussian-fixed-ae"})
    void givenAOneNetworkModelFile_whenExported_thenEachGraphIsTheGoldenExportByteForByte(String name) throws Exception {
        Path dir = Path.of(getClass().getResource("/golden/export-v2/" + name + "/model.vae").toURI()).getParent();
        VaeModel model = ModelFile.read(dir.resolve("model.vae"));
        assertThat(model.memberCount()).isOne();

        Map<String, byte[]> graphs = OnnxExporter.export(model);

        assertThat(graphs.keySet()).containsExactly(OnnxExporter.ENCODER, OnnxExporter.DECODER, OnnxExporter.SCORER);
        for (Map.Entry<String, byte[]> e : graphs.entrySet()) {
            byte[] golden = Files.readAllBytes(dir.resolve(e.getKey()));
            // The node names first, so that a difference in the graph's structure reads as one.
            assertThat(nodeNames(e.getValue())).as("%s %s nodes", name, e.getKey()).isEqualTo(nodeNames(golden));
            assertThat(e.getValue()).as("%s %s bytes", name, e.getKey()).isEqualTo(golden);
        }
    }

    private static List<String> nodeNames(byte[] onnx) throws Exception {
        return OnnxMl.ModelProto.parseFrom(onnx).getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getName).toList();
    }
}
