package dev.vae.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.CompositeLikelihood;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.StudentTLikelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OnnxTestModels;
import dev.vae.onnx.OrtTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ONNX Runtime on the exported graphs of composite-likelihood models against the native model on breastw: the
 * decoder's per-block outputs, and the scorer's scores, per-feature scores and flags.
 */
class OnnxCompositeExportParityTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
            "composite:bernoulli[0-2],gaussian[3-5],gaussian-fixed:0.5[6-8]; VAE",
            "composite:gaussian-shared[0-4],bernoulli[5-8]; VAE",
            "composite:gaussian-fixed[0-3],bernoulli[4-8]; AE",
            "composite:student-t[0-4],bernoulli[5-8]; VAE",
            "composite:gaussian[0-2],student-t-shared:nu=9[3-8]; AE"})
    void givenCompositeModel_whenExportedGraphsRunInOnnxRuntime_thenTheyMatchTheNativeModel(String likelihood,
                                                                                         ModelType type) throws Exception {
        VaeModel model = OnnxTestModels.train("breastw", likelihood, type);
        Table table = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        int n = table.rows();
        int d = model.inputDim();
        int k = model.latentDim();
        float[] raw = table.values();
        CompositeLikelihood composite = (CompositeLikelihood) model.architecture().likelihood();
        Map<String, byte[]> graphs = OnnxExporter.export(model);

        float[] x = model.toModelSpace(raw, n);
        VaeNetwork.Evaluator ev = model.network().newEvaluator();
        float[] mu = new float[n * k];
        ev.encode(x, 0, n, mu, type == ModelType.VAE ? new float[n * k] : null);
        int rw = model.architecture().decoderOutputDim();
        float[] dec = new float[n * rw];
        ev.decode(mu, 0, n, dec);

        // Decoder: each block's parameters, through its likelihood's link, from its part of the block-major layout.
        Map<String, Object> out = OrtTestSupport.run(graphs.get(OnnxExporter.DECODER), "z", mu, n, k);
        List<String> names = new ArrayList<>();
        int offset = 0;
        for (int b = 0; b < composite.blocks().size(); b++) {
            CompositeLikelihood.Block block = composite.blocks().get(b);
            Likelihood lik = block.likelihood();
            int w = block.width();
            float[] p0 = new float[n * w];
            float[] p1 = new float[n * w];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < w; j++) {
                    float first = dec[i * rw + offset + j];
                    p0[i * w + j] = first;
                    if (lik instanceof BernoulliLikelihood) {
                        p1[i * w + j] = Activation.sigmoid(first);
                    } else if (lik instanceof LearnedVarianceGaussian g) {
                        p1[i * w + j] = (float) g.logVariance(dec[i * rw + offset + w + j]);
                    } else if (lik instanceof StudentTLikelihood) {
                        p1[i * w + j] = (float) StudentTLikelihood.logScale2(dec[i * rw + offset + w + j]);
                    } else {
                        p1[i * w + j] = (float) Math.log(((FixedVarianceGaussian) lik).variance());
                    }
                }
            }
            List<String> params = lik instanceof BernoulliLikelihood ? List.of("logits", "probs")
                    : lik instanceof StudentTLikelihood ? List.of("location", "logscale2") : List.of("mean", "logvar");
            for (int p = 0; p < 2; p++) {
                String name = "block" + b + "_" + params.get(p);
                names.add(name);
                assertClose((float[]) out.get(name), p == 0 ? p0 : p1, name);
            }
            offset += lik.rawWidth(w);
        }
        assertThat(offset).isEqualTo(rw);
        assertThat(out).containsOnlyKeys(names);

        // Scorer: the native scores and per-feature scores, whose blocks are the composite's own.
        double[] scores = new Scorer(model, ScoreSettings.defaults()).score(raw, n);
        Map<String, Object> sc = OrtTestSupport.run(graphs.get(OnnxExporter.SCORER), "x", raw, n, d);
        float[] onnxScores = (float[]) sc.get("score");
        float[] features = (float[]) sc.get("feature_scores");
        boolean[] flags = (boolean[]) sc.get("is_anomaly");
        double[] expectedFeatures = new double[d];
        double t = model.threshold().value();
        int anomalies = 0;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, OrtTestSupport.relativeError(onnxScores[i], scores[i]));
            assertThat(OrtTestSupport.relativeError(onnxScores[i], scores[i])).as("score of row %d", i).isLessThan(TOLERANCE);
            composite.featureNegativeLogLikelihood(x, i * d, dec, i * rw, d, expectedFeatures, 0);
            for (int j = 0; j < d; j++) {
                assertThat(OrtTestSupport.relativeError(features[i * d + j], expectedFeatures[j]))
                        .as("feature score %d of row %d", j, i).isLessThan(TOLERANCE);
            }
            if (Math.abs(scores[i] - t) > TOLERANCE * Math.max(1, Math.abs(t))) {
                assertThat(flags[i]).as("flag of row %d", i).isEqualTo(scores[i] > t);
            }
            anomalies += flags[i] ? 1 : 0;
        }
        assertThat(anomalies).isBetween(1, n - 1);
        assertThat(OrtTestSupport.metadata(graphs.get(OnnxExporter.SCORER))).containsEntry("vae.likelihood", composite.id());
        System.out.printf("parity %s %s: %d rows, largest relative score error %.3g%n", likelihood, type.id(), n, worst);
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).isNotNull().hasSize(expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, OrtTestSupport.relativeError(actual[i], expected[i]));
        }
        assertThat(worst).as("largest relative error of %s", what).isLessThan(TOLERANCE);
    }
}
