package dev.vae.onnx.imports;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OnnxMetadata;
import dev.vae.onnx.OnnxTestModels;
import dev.vae.onnx.OrtTestSupport;
import dev.vae.onnx.export.OnnxExporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exported graphs imported back, through ONNX Runtime and as native networks; metadata read back by ONNX Runtime. */
class OnnxRoundTripTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"breastw,bernoulli,VAE", "breastw,gaussian,VAE", "ionosphere,gaussian-fixed,AE", "breastw,gaussian,AE",
            "pima,gaussian-shared,VAE", "breastw,gaussian:logvar-bound=7,VAE", "breastw,gaussian:logvar-unbounded,VAE",
            "pima,gaussian-shared:logvar-unbounded,VAE", "breastw,student-t,VAE", "pima,student-t-shared,VAE",
            "breastw,student-t:nu=1,VAE", "pima,student-t-shared:nu=9,AE"})
    void givenExportedGraphs_whenImportedBack_thenBothBackendsScoreLikeTheOriginal(String set, String likelihood,
                                                                                 ModelType type, @TempDir Path dir)
            throws Exception {
        VaeModel model = OnnxTestModels.train(set, likelihood, type);
        List<Path> files = OnnxExporter.write(model, dir);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("encoder.onnx", "decoder.onnx", "scorer.onnx");
        Table table = CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"),
                CsvOptions.withLabel("label", Set.of()));
        double[] expected = new Scorer(model, ScoreSettings.defaults()).score(table.values(), table.rows());

        VaeModel onnx = OnnxImporter.importModel(files.get(0), files.get(1), OnnxImportOptions.defaults());
        VaeModel nat = OnnxImporter.importModel(files.get(0), files.get(1),
                OnnxImportOptions.defaults().withBackend(OnnxImportOptions.Backend.NATIVE));
        for (VaeModel imported : List.of(onnx, nat)) {
            // What the metadata and the in-graph scaler carry: scaler, names, threshold, architecture.
            assertThat(imported.scaler()).isEqualTo(model.scaler());
            assertThat(imported.featureNames()).isEqualTo(model.featureNames());
            assertThat(imported.threshold()).isEqualTo(model.threshold());
            assertThat(imported.architecture()).isEqualTo(model.architecture());
            double[] scores = new Scorer(imported, ScoreSettings.defaults()).score(table.values(), table.rows());
            double worst = 0;
            for (int i = 0; i < scores.length; i++) {
                worst = Math.max(worst, OrtTestSupport.relativeError(scores[i], expected[i]));
                assertThat(OrtTestSupport.relativeError(scores[i], expected[i])).as("%s row %d",
                        imported.network().backend(), i).isLessThan(1e-4);
            }
            System.out.printf("round trip %s %s %s %s: largest relative score error %.3g%n", set, likelihood, type.id(),
                    imported.network().backend(), worst);
        }
        // The native conversion copies the weights exactly.
        assertThat(nat.nativeNetwork()).isEqualTo(model.nativeNetwork());
    }

    /**
     * A likelihood's own parameters are constants of the decoder graph, expanded to the rows: no decoder weight
     * leads to them, the output keeps its name and its [batch, d] shape, and the native import reads them back.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"gaussian-shared,logvar", "gaussian-shared:logvar-unbounded,logvar", "student-t-shared:nu=9,logscale2"})
    void givenASharedLikelihood_whenDecoderExported_thenItsOwnParametersAreAnExpandedConstant(String likelihood,
                                                                                             String output)
            throws Exception {
        VaeModel model = OnnxTestModels.train("pima", likelihood, ModelType.VAE);
        OnnxMl.ModelProto decoder = OnnxMl.ModelProto.parseFrom(OnnxExporter.decoder(model));
        GraphIndex g = new GraphIndex(decoder.getGraph(), "decoder");
        int d = model.inputDim();
        boolean bounded = !likelihood.endsWith("unbounded");
        if (bounded) {
            // The graph applies the link to the raw values r: the output is not a constant, r is.
            assertThat(MlpConverter.expandedConstant(g, output, d)).isNull();
        }
        String raw = bounded ? MlpConverter.logVarianceLinkInput(g, output, 3.0) : output;
        assertThat(g.producer(g.skipIdentity(raw)).getOpType()).isEqualTo("Expand");
        assertThat(MlpConverter.expandedConstant(g, raw, d)).isEqualTo(model.nativeNetwork().likelihoodParameters());
        assertThat(decoder.getGraph().getInitializerList()).extracting(OnnxMl.TensorProto::getName)
                .noneMatch(n -> n.startsWith("dec_" + output + "_weight"));
        OnnxMl.ValueInfoProto out = decoder.getGraph().getOutputList().stream()
                .filter(v -> v.getName().equals(output)).findFirst().orElseThrow();
        assertThat(GraphIndex.width(out)).isEqualTo(d);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gaussian,3", "gaussian:logvar-bound=7,7", "gaussian:logvar-unbounded,"})
    void givenLearnedVarianceModel_whenDecoderExported_thenItsGraphComputesTheModelsOwnLink(String likelihood,
                                                                                           Float bound) throws Exception {
        VaeModel model = OnnxTestModels.train("breastw", likelihood, ModelType.VAE);
        OnnxMl.ModelProto decoder = OnnxMl.ModelProto.parseFrom(OnnxExporter.decoder(model));
        assertThat(OrtTestSupport.metadata(decoder.toByteArray())).containsEntry("vae.likelihood", likelihood);
        GraphIndex g = new GraphIndex(decoder.getGraph(), "decoder");
        OnnxMl.NodeProto last = g.producer(g.skipIdentity("logvar"));
        if (bound == null) {
            // s = r: the logvar output is the linear layer itself, no squashing.
            assertThat(last.getOpType()).isEqualTo("Gemm");
        } else {
            // s = B tanh(r / B) with the model's own B, which the native conversion reads back.
            assertThat(last.getOpType()).isEqualTo("Mul");
            assertThat(g.floats(last.getInput(1))).containsExactly(bound);
            assertThat(MlpConverter.logVarianceLinkInput(g, "logvar", bound)).startsWith("dec_logvar");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"student-t,4", "student-t-shared:nu=9,9", "student-t:nu=1,1"})
    void givenStudentTModel_whenDecoderExported_thenItsLogScaleIsTheBoundedLinkAndTheMetadataNamesNu(String likelihood,
                                                                                                   int nu) throws Exception {
        VaeModel model = OnnxTestModels.train("breastw", likelihood, ModelType.VAE);
        OnnxMl.ModelProto decoder = OnnxMl.ModelProto.parseFrom(OnnxExporter.decoder(model));
        Map<String, String> props = OrtTestSupport.metadata(decoder.toByteArray());
        assertThat(props).containsEntry("vae.likelihood", likelihood);
        assertThat(props.get("vae.score_constants")).contains("likelihood.nu=" + nu).contains("likelihood.logvar-bound=3.0");
        assertThat(OnnxMetadata.parse(props).architecture().likelihood()).isEqualTo(model.architecture().likelihood());
        GraphIndex g = new GraphIndex(decoder.getGraph(), "decoder");
        assertThat(names(decoder.getGraph().getOutputList())).containsExactly("location", "logscale2");
        // logscale2 = 3 tanh(r / 3), which the native conversion unwraps back to the linear layer r.
        assertThat(MlpConverter.logVarianceLinkInput(g, "logscale2", 3.0)).startsWith("dec_logscale2");
    }

    private static List<String> names(List<OnnxMl.ValueInfoProto> values) {
        return values.stream().map(OnnxMl.ValueInfoProto::getName).toList();
    }

    @Test
    void givenExportedGraphs_whenOnnxRuntimeReadsTheirMetadata_thenItRoundTrips() throws Exception {
        VaeModel model = OnnxTestModels.train("breastw", "gaussian", ModelType.VAE);
        Map<String, byte[]> graphs = OnnxExporter.export(model);
        for (Map.Entry<String, byte[]> e : graphs.entrySet()) {
            Map<String, String> props = OrtTestSupport.metadata(e.getValue());
            OnnxMetadata meta = OnnxMetadata.parse(props);
            String role = e.getKey().replace(".onnx", "");
            assertThat(meta).isEqualTo(OnnxMetadata.of(model, role));
            assertThat(meta.formatVersion()).isEqualTo(OnnxMetadata.FORMAT_VERSION);
            assertThat(meta.threshold()).isEqualTo(model.threshold());
            assertThat(meta.scaler()).isEqualTo(model.scaler());
            assertThat(meta.architecture().likelihood()).isEqualTo(model.architecture().likelihood());
            assertThat(meta.architecture().inputDim()).isEqualTo(9);
            assertThat(meta.architecture().latentDim()).isEqualTo(4);
            assertThat(props.get("vae.score")).startsWith("negative-elbo, deterministic: z = mu");
        }
    }

    @Test
    void givenModelWithoutThreshold_whenScorerExported_thenMetadataSaysNoneAndNoRowIsFlagged() throws Exception {
        VaeModel model = OnnxTestModels.train("breastw", "bernoulli", ModelType.VAE).toBuilder().threshold(null).build();
        byte[] scorer = OnnxExporter.scorer(model);
        assertThat(OrtTestSupport.metadata(scorer)).containsEntry("vae.threshold.value", "none");
        assertThat(OnnxMetadata.parse(OrtTestSupport.metadata(scorer)).threshold()).isNull();
        Table table = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        boolean[] flags = (boolean[]) OrtTestSupport.run(scorer, "x", table.values(), table.rows(), 9).get("is_anomaly");
        for (boolean f : flags) {
            assertThat(f).isFalse();
        }
    }
}
