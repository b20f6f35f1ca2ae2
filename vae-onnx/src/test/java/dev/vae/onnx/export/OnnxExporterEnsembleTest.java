package dev.vae.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.nn.ModelType;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OnnxMetadata;
import dev.vae.onnx.OnnxTestModels;
import dev.vae.onnx.OrtTestSupport;
import dev.vae.onnx.imports.OnnxImportOptions;
import dev.vae.onnx.imports.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The export of an ensemble ({@link VaeModel#memberCount()} &gt; 1), on real data: {@code scorer.onnx} in ONNX
 * Runtime computes the ensemble's score, per-feature scores and flag as the native {@link Scorer} does (not the first
 * member's), each member's subgraph holding that member's weights; each member's encoder and decoder are exported
 * as its own pair, which import back as that member; the one-graph methods refuse an ensemble.
 */
class OnnxExporterEnsembleTest {

    /** The parity tolerance of the other export tests ({@code OnnxExportParityTest}). */
    private static final double TOLERANCE = 1e-4;

    /** The initializers of a scorer graph outside its members' subgraphs (Tribuo numbers each name from 0). */
    private static final Set<String> SHARED = Set.of("scaler_offset_0", "scaler_divisor_0", "threshold_0");

    /** A Gaussian VAE ensemble of two on breastw, for the tests that are not about the likelihood. */
    private static VaeModel pair;

    @BeforeAll
    static void trainPair() throws Exception {
        pair = OnnxTestModels.train("breastw", "gaussian", ModelType.VAE, 2);
    }

    private static Table table(String set) throws Exception {
        return CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"), CsvOptions.withLabel("label", Set.of()));
    }

    @ParameterizedTest(name = "{0} {1} {2} x{3}")
    @CsvSource(delimiter = ';', value = {
            "breastw; gaussian; VAE; 2",
            "breastw; composite:bernoulli[0-2],gaussian-shared[3-8]; VAE; 3",
            "pima; student-t; AE; 2"})
    void givenTrainedEnsemble_whenScorerGraphRunsInOnnxRuntime_thenItMatchesTheEnsemblesNativeScoresNotOneMembers(
            String set, String likelihood, ModelType type, int members) throws Exception {
        VaeModel model = OnnxTestModels.train(set, likelihood, type, members);
        Table table = table(set);
        int n = table.rows();
        int d = model.inputDim();
        float[] raw = table.values();
        assertThat(model.memberCount()).isEqualTo(members);

        byte[] scorer = OnnxExporter.scorer(model);

        ScoreBreakdown expected = new Scorer(model, ScoreSettings.defaults()).explain(raw, n);
        double[] firstMember = new Scorer(model.member(0), ScoreSettings.defaults()).score(raw, n);
        Map<String, Object> out = OrtTestSupport.run(scorer, "x", raw, n, d);
        assertThat(out).containsOnlyKeys("score", "feature_scores", "is_anomaly");
        float[] scores = (float[]) out.get("score");
        float[] features = (float[]) out.get("feature_scores");
        boolean[] flags = (boolean[]) out.get("is_anomaly");
        double t = model.threshold().value();
        double worst = 0;
        double fromFirst = 0;
        int anomalies = 0;
        for (int i = 0; i < n; i++) {
            double s = expected.scores()[i];
            worst = Math.max(worst, OrtTestSupport.relativeError(scores[i], s));
            fromFirst = Math.max(fromFirst, OrtTestSupport.relativeError(scores[i], firstMember[i]));
            assertThat(OrtTestSupport.relativeError(scores[i], s)).as("score of row %d", i).isLessThan(TOLERANCE);
            for (int j = 0; j < d; j++) {
                assertThat(OrtTestSupport.relativeError(features[i * d + j], expected.contribution(i, j)))
                        .as("feature score %d of row %d", j, i).isLessThan(TOLERANCE);
            }
            // The flag is the ONNX score against the threshold; compare where the two scores agree on the side.
            if (Math.abs(s - t) > TOLERANCE * Math.max(1, Math.abs(t))) {
                assertThat(flags[i]).as("flag of row %d", i).isEqualTo(s > t);
            }
            anomalies += flags[i] ? 1 : 0;
        }
        assertThat(anomalies).isBetween(1, n - 1);
        // A graph of the first member alone would be this far from the ensemble's scores.
        assertThat(fromFirst).as("largest relative difference from the first member's scores").isGreaterThan(100 * TOLERANCE);

        Map<String, String> meta = OrtTestSupport.metadata(scorer);
        assertThat(meta).containsEntry("vae.members", Integer.toString(members))
                .containsEntry("vae.threshold.value", Double.toString(t));
        assertThat(meta.get("vae.score")).startsWith("mean over an ensemble of " + members + " networks");
        assertThat(OnnxMetadata.parse(meta)).isEqualTo(OnnxMetadata.of(model, "scorer"));
        System.out.printf("ensemble parity %s %s %s x%d: %d rows, largest relative score error %.3g, %.3g from member 1%n",
                set, likelihood, type.id(), members, n, worst, fromFirst);
    }

    @Test
    void givenEnsembleScorer_whenItsInitializersAreRead_thenEachMembersSubgraphHoldsThatMembersOwnScorerWeights()
            throws Exception {
        VaeModel model = pair;

        Map<String, OnnxMl.TensorProto> ensemble = initializers(OnnxExporter.scorer(model));

        Set<String> matched = new java.util.HashSet<>(Set.of("members_0"));
        matched.addAll(SHARED);
        for (int m = 0; m < model.memberCount(); m++) {
            // The member's own scorer, its threshold aside, is the subgraph under its prefix, tensor for tensor.
            Map<String, OnnxMl.TensorProto> alone = initializers(OnnxExporter.scorer(model.member(m)));
            for (Map.Entry<String, OnnxMl.TensorProto> e : alone.entrySet()) {
                if (SHARED.contains(e.getKey())) {
                    continue;
                }
                String name = "member" + (m + 1) + "_" + e.getKey();
                assertThat(ensemble).as("initializer %s", name).containsKey(name);
                assertThat(ensemble.get(name).toBuilder().setName(e.getKey()).build()).as(name).isEqualTo(e.getValue());
                matched.add(name);
            }
        }
        assertThat(ensemble.keySet()).as("every initializer is a member's or shared").containsExactlyInAnyOrderElementsOf(matched);
        assertThat(ensemble.get("members_0").getFloatData(0)).isEqualTo(2f);
        assertThat(ensemble.get("member1_enc_0_weight_0")).isNotEqualTo(
                ensemble.get("member2_enc_0_weight_0").toBuilder().setName("member1_enc_0_weight_0").build());
    }

    @Test
    void givenEnsemble_whenWritten_thenEachMemberHasItsOwnEncoderAndDecoderThatImportBackAsThatMember(@TempDir Path dir)
            throws Exception {
        VaeModel model = pair;
        Table table = table("breastw");
        int n = table.rows();
        int d = model.inputDim();
        int k = model.latentDim();
        float[] raw = table.values();

        List<Path> files = OnnxExporter.write(model, dir);

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("encoder-member1.onnx",
                "decoder-member1.onnx", "encoder-member2.onnx", "decoder-member2.onnx", OnnxExporter.SCORER);
        assertThat(OnnxExporter.memberFile(OnnxExporter.DECODER, 1)).isEqualTo("decoder-member2.onnx");
        for (int m = 0; m < model.memberCount(); m++) {
            VaeModel member = model.member(m);
            Path encoder = dir.resolve(OnnxExporter.memberFile(OnnxExporter.ENCODER, m));
            Path decoder = dir.resolve(OnnxExporter.memberFile(OnnxExporter.DECODER, m));
            // Member m's pair is the export of model.member(m): one network, no threshold (it was the ensemble's).
            assertThat(Files.readAllBytes(encoder)).isEqualTo(OnnxExporter.encoder(member));
            assertThat(Files.readAllBytes(decoder)).isEqualTo(OnnxExporter.decoder(member));
            Map<String, String> meta = OrtTestSupport.metadata(Files.readAllBytes(encoder));
            assertThat(meta).containsEntry("vae.threshold.value", "none").doesNotContainKey("vae.members");

            float[] mu = (float[]) OrtTestSupport.run(Files.readAllBytes(encoder), "x", raw, n, d).get("mu");
            float[] expectedMu = member.encode(raw, n);
            assertThat(mu).hasSize(n * k);
            for (int i = 0; i < mu.length; i++) {
                assertThat(OrtTestSupport.relativeError(mu[i], expectedMu[i])).as("member %d mu %d", m + 1, i)
                        .isLessThan(TOLERANCE);
            }

            double[] expected = new Scorer(member, ScoreSettings.defaults()).score(raw, n);
            VaeModel imported = OnnxImporter.importModel(encoder, decoder,
                    OnnxImportOptions.defaults().withBackend(OnnxImportOptions.Backend.NATIVE));
            assertThat(imported.memberCount()).isOne();
            assertThat(imported.threshold()).isNull();
            double[] scores = new Scorer(imported, ScoreSettings.defaults()).score(raw, n);
            for (int i = 0; i < n; i++) {
                assertThat(OrtTestSupport.relativeError(scores[i], expected[i])).as("member %d row %d", m + 1, i)
                        .isLessThan(TOLERANCE);
            }
        }
        assertThat(Files.readAllBytes(files.get(0))).isNotEqualTo(Files.readAllBytes(files.get(2)));
        assertThat(Files.readAllBytes(files.get(4))).isEqualTo(OnnxExporter.scorer(model));
    }

    @Test
    void givenEnsemble_whenOneEncoderOrDecoderIsAskedFor_thenItIsRefusedNamingHowToExportAMember() throws Exception {
        VaeModel model = pair;

        assertThatThrownBy(() -> OnnxExporter.encoder(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoder.onnx of an ensemble of 2 networks")
                .hasMessageContaining("model.member(m) for m in 0..1").hasMessageContaining("encoder-member1.onnx");
        assertThatThrownBy(() -> OnnxExporter.decoder(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decoder.onnx of an ensemble of 2 networks")
                .hasMessageContaining("decoder-member1.onnx");
        assertThatThrownBy(() -> OnnxExporter.memberFile(OnnxExporter.SCORER, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scorer.onnx");
        assertThatThrownBy(() -> OnnxExporter.memberFile(OnnxExporter.ENCODER, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    private static Map<String, OnnxMl.TensorProto> initializers(byte[] onnx) throws Exception {
        Map<String, OnnxMl.TensorProto> out = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : OnnxMl.ModelProto.parseFrom(onnx).getGraph().getInitializerList()) {
            out.put(t.getName(), t);
        }
        return out;
    }
}
