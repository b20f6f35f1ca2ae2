package dev.vae.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.vae.core.nn.Architecture;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.onnx.export.OnnxExporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata format and the declared graph interface: names, dynamic batch axis, opset. */
class OnnxMetadataTest {

    private static VaeModel model() {
        Architecture a = Architecture.defaults(5).withHidden(List.of(7)).withLatentDim(2)
                .withLikelihood(BernoulliLikelihood.INSTANCE);
        return VaeModel.builder(NativeNetwork.initialize(a, 3))
                .scaler(new Scaler(ScalingKind.MIN_MAX, new float[] {0.1f, 0, 0, 0, -3e-7f}, new float[] {255, 1, 2, 3, 1e-3f}))
                .featureNames(List.of("a", "b,c", "d e", "f", "g"))
                .threshold(new Threshold(0.1 + 0.2, "quantile:0.95", "validation split, 12 rows", ScoreSettings.defaults()))
                .build();
    }

    @Test
    void givenModel_whenMetadataWrittenAndParsed_thenEveryFieldRoundTripsExactly() {
        VaeModel m = model();
        OnnxMetadata meta = OnnxMetadata.of(m, "scorer");
        OnnxMetadata back = OnnxMetadata.parse(meta.toProperties());
        assertThat(back).isEqualTo(meta);
        assertThat(back.scaler()).isEqualTo(m.scaler());
        assertThat(back.threshold().value()).isEqualTo(0.1 + 0.2);
        assertThat(back.featureNames()).containsExactly("a", "b,c", "d e", "f", "g");
    }

    @Test
    void givenForeignOrMalformedMetadata_whenParsed_thenNullOrAnErrorNamingTheKey() {
        assertThat(OnnxMetadata.parse(Map.of("producer", "pytorch"))).isNull();
        Map<String, String> props = new LinkedHashMap<>(OnnxMetadata.of(model(), "encoder").toProperties());
        props.put("vae.latent_dim", "two");
        assertThatThrownBy(() -> OnnxMetadata.parse(props)).hasMessageContaining("vae.latent_dim").hasMessageContaining("two");
        props.put("vae.latent_dim", "2");
        props.remove("vae.scaler.divisor");
        assertThatThrownBy(() -> OnnxMetadata.parse(props)).hasMessage("ONNX metadata lacks vae.scaler.divisor");
        props.put("vae.scaler.divisor", "1,1,1,1,1");
        props.put("vae.score_constants", "likelihood.logvar-bound=7.0\nnoise=" + dev.vae.core.random.RowNoise.ALGORITHM);
        assertThatThrownBy(() -> OnnxMetadata.parse(props)).hasMessageContaining("vae.score_constants")
                .hasMessageContaining("likelihood.logvar-bound=7.0").hasMessageContaining("bernoulli");
        props.put("vae.format_version", Integer.toString(OnnxMetadata.FORMAT_VERSION + 1));
        assertThatThrownBy(() -> OnnxMetadata.parse(props)).hasMessageContaining("newer");
    }

    @Test
    void givenEnsembleScorerMetadata_whenWrittenAndParsed_thenTheMemberCountRoundTripsAndIsRefusedWhereItCannotBe() {
        VaeModel one = model();
        VaeModel ensemble = VaeModel.builder(List.of(one.network(), NativeNetwork.initialize(one.architecture(), 4)))
                .scaler(one.scaler()).featureNames(one.featureNames()).threshold(one.threshold()).build();
        OnnxMetadata meta = OnnxMetadata.of(ensemble, "scorer");
        Map<String, String> props = new LinkedHashMap<>(meta.toProperties());

        assertThat(props).containsEntry("vae.members", "2");
        assertThat(props.get("vae.score")).startsWith("mean over an ensemble of 2 networks")
                .endsWith("; is_anomaly = score > threshold");
        assertThat(OnnxMetadata.parse(props)).isEqualTo(meta);
        // A model of one network writes no member count, and reads back as one.
        assertThat(OnnxMetadata.of(one, "scorer").toProperties()).doesNotContainKey("vae.members");
        assertThat(OnnxMetadata.parse(OnnxMetadata.of(one, "scorer").toProperties()).members()).isOne();
        assertThatThrownBy(() -> OnnxMetadata.of(ensemble, "encoder")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("member count 2 for the encoder graph");
        props.put("vae.members", "0");
        assertThatThrownBy(() -> OnnxMetadata.parse(props)).hasMessage("ONNX metadata vae.members is not a member count: 0");
        props.put("vae.members", "two");
        assertThatThrownBy(() -> OnnxMetadata.parse(props)).hasMessageContaining("vae.members").hasMessageContaining("two");
    }

    @Test
    void givenExportedGraphs_whenInspected_thenOpset13AndADynamicBatchAxisOnEveryInputAndOutput() throws Exception {
        for (Map.Entry<String, byte[]> e : OnnxExporter.export(model()).entrySet()) {
            OnnxMl.ModelProto p = OnnxMl.ModelProto.parseFrom(e.getValue());
            assertThat(p.getOpsetImportList()).extracting(OnnxMl.OperatorSetIdProto::getVersion).containsExactly(13L);
            List<OnnxMl.ValueInfoProto> io = new java.util.ArrayList<>(p.getGraph().getInputList());
            io.addAll(p.getGraph().getOutputList());
            for (OnnxMl.ValueInfoProto v : io) {
                assertThat(v.getType().getTensorType().getShape().getDim(0).getDimParam()).as(e.getKey() + " " + v.getName())
                        .isEqualTo("batch");
            }
        }
    }

    @Test
    void givenScorer_whenOneRowOrABatchIsScored_thenTheRowGetsTheSameScore() throws Exception {
        byte[] scorer = OnnxExporter.scorer(model());
        float[] rows = new float[20 * 5];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 37 % 255);
        }
        float[] batch = (float[]) OrtTestSupport.run(scorer, "x", rows, 20, 5).get("score");
        for (int i = 0; i < 20; i++) {
            float[] one = (float[]) OrtTestSupport.run(scorer, "x", java.util.Arrays.copyOfRange(rows, i * 5, i * 5 + 5), 1, 5)
                    .get("score");
            assertThat(OrtTestSupport.relativeError(one[0], batch[i])).isLessThan(1e-6);
        }
    }
}
