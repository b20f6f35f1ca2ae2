package dev.vae.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.StudentTLikelihood;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OnnxTestModels;
import dev.vae.onnx.OrtTestSupport;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime on the exported graphs against the native model, on real data (breastw and ionosphere), for every
 * likelihood and both model types: encoder outputs, decoder outputs, scores, per-feature scores and the anomaly flag.
 */
class OnnxExportParityTest {

    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("breastw", "bernoulli", ModelType.VAE),
                Arguments.of("breastw", "bernoulli", ModelType.AE),
                Arguments.of("breastw", "gaussian", ModelType.VAE),
                Arguments.of("ionosphere", "gaussian", ModelType.AE),
                Arguments.of("ionosphere", "gaussian-fixed", ModelType.VAE),
                Arguments.of("breastw", "gaussian-fixed:0.25", ModelType.AE),
                Arguments.of("pima", "gaussian-shared", ModelType.VAE),
                Arguments.of("breastw", "gaussian:logvar-bound=7", ModelType.VAE),
                Arguments.of("breastw", "gaussian:logvar-unbounded", ModelType.VAE),
                Arguments.of("pima", "gaussian-shared:logvar-unbounded", ModelType.VAE),
                Arguments.of("breastw", "student-t", ModelType.VAE),
                Arguments.of("pima", "student-t", ModelType.AE),
                Arguments.of("pima", "student-t-shared", ModelType.VAE),
                Arguments.of("breastw", "student-t:nu=1", ModelType.VAE),
                Arguments.of("pima", "student-t-shared:nu=9", ModelType.VAE));
    }

    /**
     * The table's rows, then three beyond its range: every feature at 10x its maximum, every feature as far below its
     * minimum as the range is wide twice, and the first row with every other feature at 3x its maximum.
     */
    static float[] withOutOfRangeRows(Table table) {
        int n = table.rows();
        int d = table.width();
        float[] v = table.values();
        float[] lo = new float[d];
        float[] hi = new float[d];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                lo[j] = Math.min(lo[j], v[i * d + j]);
                hi[j] = Math.max(hi[j], v[i * d + j]);
            }
        }
        float[] out = Arrays.copyOf(v, (n + 3) * d);
        for (int j = 0; j < d; j++) {
            out[n * d + j] = 10 * hi[j];
            out[(n + 1) * d + j] = lo[j] - 2 * (hi[j] - lo[j]);
            out[(n + 2) * d + j] = j % 2 == 0 ? 3 * hi[j] : v[j];
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("models")
    void givenTrainedModel_whenExportedGraphsRunInOnnxRuntime_thenTheyMatchTheNativeModel(String set, String likelihood,
                                                                                         ModelType type) throws Exception {
        VaeModel model = OnnxTestModels.train(set, likelihood, type);
        Table table = CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"),
                CsvOptions.withLabel("label", Set.of()));
        int d = model.inputDim();
        int k = model.latentDim();
        // Bernoulli: also rows beyond the training range, where the scorer graph applies the out-of-range rule; Student-t:
        // there its log(1 + q) term is large, far from the residuals of the training rows.
        float[] raw = likelihood.equals("bernoulli") || likelihood.startsWith("student-t")
                ? withOutOfRangeRows(table) : table.values();
        int n = raw.length / d;
        Map<String, byte[]> graphs = OnnxExporter.export(model);

        // Native reference: scaled input, encoder, decoder at z = mu, scores.
        float[] x = model.toModelSpace(raw, n);
        VaeNetwork.Evaluator ev = model.network().newEvaluator();
        float[] mu = new float[n * k];
        float[] logvar = new float[n * k];
        ev.encode(x, 0, n, mu, type == ModelType.VAE ? logvar : null);
        int rw = model.architecture().decoderOutputDim();
        float[] dec = new float[n * rw];
        ev.decode(mu, 0, n, dec);
        double[] scores = new Scorer(model, ScoreSettings.defaults()).score(raw, n);

        Map<String, Object> enc = OrtTestSupport.run(graphs.get(OnnxExporter.ENCODER), "x", raw, n, d);
        assertClose((float[]) enc.get("mu"), mu, "mu");
        if (type == ModelType.VAE) {
            assertClose((float[]) enc.get("logvar"), logvar, "logvar");
        } else {
            assertThat(enc).containsOnlyKeys("mu");
        }

        Map<String, Object> out = OrtTestSupport.run(graphs.get(OnnxExporter.DECODER), "z", mu, n, k);
        Likelihood lik = model.architecture().likelihood();
        float[] p0 = new float[n * d];
        float[] p1 = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                p0[i * d + j] = dec[i * rw + j];
                if (lik instanceof LearnedVarianceGaussian g) {
                    p1[i * d + j] = (float) g.logVariance(dec[i * rw + d + j]);
                } else if (lik instanceof StudentTLikelihood) {
                    p1[i * d + j] = (float) StudentTLikelihood.logScale2(dec[i * rw + d + j]);
                } else if (lik instanceof FixedVarianceGaussian f) {
                    p1[i * d + j] = (float) Math.log(f.variance());
                } else {
                    p1[i * d + j] = dev.vae.core.nn.Activation.sigmoid(dec[i * rw + j]);
                }
            }
        }
        List<String> names = lik.id().equals("bernoulli") ? List.of("logits", "probs")
                : lik instanceof StudentTLikelihood ? List.of("location", "logscale2") : List.of("mean", "logvar");
        assertThat(out).containsOnlyKeys(names.get(0), names.get(1));
        assertClose((float[]) out.get(names.get(0)), p0, names.get(0));
        assertClose((float[]) out.get(names.get(1)), p1, names.get(1));

        Map<String, Object> sc = OrtTestSupport.run(graphs.get(OnnxExporter.SCORER), "x", raw, n, d);
        float[] onnxScores = (float[]) sc.get("score");
        float[] features = (float[]) sc.get("feature_scores");
        boolean[] flags = (boolean[]) sc.get("is_anomaly");
        double[] expectedFeatures = new double[d];
        int anomalies = 0;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, OrtTestSupport.relativeError(onnxScores[i], scores[i]));
            assertThat(OrtTestSupport.relativeError(onnxScores[i], scores[i])).as("score of row %d", i).isLessThan(TOLERANCE);
            lik.featureNegativeLogLikelihood(x, i * d, dec, i * rw, d, expectedFeatures, 0);
            for (int j = 0; j < d; j++) {
                assertThat(OrtTestSupport.relativeError(features[i * d + j], expectedFeatures[j]))
                        .as("feature score %d of row %d", j, i).isLessThan(TOLERANCE);
            }
            // The flag is the ONNX score against the threshold; compare where the two scores agree on the side.
            double t = model.threshold().value();
            if (Math.abs(scores[i] - t) > TOLERANCE * Math.max(1, Math.abs(t))) {
                assertThat(flags[i]).as("flag of row %d", i).isEqualTo(scores[i] > t);
            }
            anomalies += flags[i] ? 1 : 0;
        }
        assertThat(anomalies).isBetween(1, n - 1);
        // The metadata names the likelihood and the constants its scores depend on (for a Student-t: B and nu).
        assertThat(OrtTestSupport.metadata(graphs.get(OnnxExporter.SCORER))).containsEntry("vae.likelihood", lik.id());
        System.out.printf("parity %s %s %s: %d rows, largest relative score error %.3g%n", set, likelihood, type.id(), n, worst);
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, OrtTestSupport.relativeError(actual[i], expected[i]));
        }
        assertThat(worst).as("largest relative error of %s", what).isLessThan(TOLERANCE);
    }
}
