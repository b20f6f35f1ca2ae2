package dev.vae.onnx.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.io.ModelFile;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.runtime.OnnxNetwork;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch-trained, PyTorch-exported MNIST VAE of {@code shared/fixtures/pytorch-mnist}: imported through ONNX
 * Runtime and converted to a native network, it reproduces PyTorch's {@code neg_elbo_zmu} on the MNIST test rows.
 */
class PytorchFixtureImportTest {

    private static final int ROWS = 1000;
    private static final double TOLERANCE = 1e-4;

    private static float[] pixels;
    private static double[] expected;

    @BeforeAll
    static void readData() throws Exception {
        Path data = SharedData.require("data/mnist/mnist_test.csv.gz");
        Path scores = SharedData.require("fixtures/pytorch-mnist/test_scores.csv");
        pixels = new float[ROWS * 784];
        try (CsvReader reader = CsvReader.open(data, CsvOptions.withLabel("digit", Set.of()))) {
            assertThat(reader.read(pixels, new int[ROWS], ROWS)).isEqualTo(ROWS);
        }
        expected = new double[ROWS];
        try (BufferedReader r = Files.newBufferedReader(scores)) {
            List<String> header = Arrays.asList(r.readLine().split(","));
            int col = header.indexOf("neg_elbo_zmu");
            for (int i = 0; i < ROWS; i++) {
                expected[i] = Double.parseDouble(r.readLine().split(",")[col]);
            }
        }
    }

    private static VaeModel importFixture(OnnxImportOptions.Backend backend) throws Exception {
        float[] divisor = new float[784];
        Arrays.fill(divisor, 255f);
        return OnnxImporter.importModel(SharedData.require("fixtures/pytorch-mnist/encoder.onnx"),
                SharedData.require("fixtures/pytorch-mnist/decoder.onnx"),
                OnnxImportOptions.defaults().withBackend(backend)
                        .withScaler(new Scaler(ScalingKind.MIN_MAX, new float[784], divisor)));
    }

    private static double worstError(VaeModel model) {
        double[] scores = new Scorer(model, ScoreSettings.defaults()).score(pixels, ROWS);
        double worst = 0;
        for (int i = 0; i < ROWS; i++) {
            worst = Math.max(worst, Math.abs(scores[i] - expected[i]) / Math.abs(expected[i]));
        }
        return worst;
    }

    @Test
    void givenPytorchGraphs_whenImportedForOnnxRuntime_thenScoresMatchPytorch() throws Exception {
        VaeModel model = importFixture(OnnxImportOptions.Backend.ONNX);
        assertThat(model.network().backend()).isEqualTo("onnx");
        // Names matched by position: mu, logvar; the decoder's first output, x_logits, is the raw parameter.
        assertThat(model.network()).isInstanceOf(OnnxNetwork.class);
        assertThat(((OnnxNetwork) model.network()).settings())
                .containsEntry(OnnxNetwork.ENCODER_OUTPUTS, "mu,logvar")
                .containsEntry(OnnxNetwork.DECODER_OUTPUTS, "x_logits");
        assertThat(model.architecture().likelihood()).isEqualTo(BernoulliLikelihood.INSTANCE);
        assertThat(model.featureNames()).isEqualTo(VaeModel.defaultNames(784));
        double worst = worstError(model);
        System.out.printf("pytorch fixture via onnx runtime: %d rows, largest relative error %.3g%n", ROWS, worst);
        assertThat(worst).isLessThan(TOLERANCE);
    }

    @Test
    void givenPytorchGraphs_whenConvertedToNative_thenScoresMatchPytorch() throws Exception {
        VaeModel model = importFixture(OnnxImportOptions.Backend.NATIVE);
        assertThat(model.nativeNetwork()).isNotNull();
        assertThat(model.architecture().encoderHidden()).containsExactly(400);
        assertThat(model.architecture().decoderHidden()).containsExactly(400);
        assertThat(model.architecture().latentDim()).isEqualTo(20);
        assertThat(model.architecture().activation()).isEqualTo(Activation.RELU);
        assertThat(model.architecture().modelType()).isEqualTo(ModelType.VAE);
        double worst = worstError(model);
        System.out.printf("pytorch fixture via native conversion: %d rows, largest relative error %.3g%n", ROWS, worst);
        assertThat(worst).isLessThan(TOLERANCE);
    }

    @Test
    void givenImportedOnnxModel_whenSavedAndLoaded_thenTheProviderRebuildsItAndScoresAgree(@TempDir Path dir) throws Exception {
        VaeModel model = importFixture(OnnxImportOptions.Backend.ONNX);
        Path file = dir.resolve("mnist.vae");
        ModelFile.write(model, file);
        VaeModel loaded = ModelFile.read(file);
        assertThat(loaded.network().backend()).isEqualTo("onnx");
        float[] some = Arrays.copyOf(pixels, 50 * 784);
        assertThat(new Scorer(loaded, ScoreSettings.defaults()).score(some, 50))
                .containsExactly(new Scorer(model, ScoreSettings.defaults()).score(some, 50));
        // Encoding and generation work on the imported model too.
        assertThat(loaded.encode(some, 50)).hasSize(50 * 20);
        float[] generated = loaded.generate(3, 11L, false);
        assertThat(generated).hasSize(3 * 784);
        for (float v : generated) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    @Test
    void givenOnnxRuntimeBackedModel_whenScoredFromFourThreads_thenEveryThreadGetsTheSingleThreadScores() throws Exception {
        VaeModel model = importFixture(OnnxImportOptions.Backend.ONNX);
        Scorer scorer = new Scorer(model, ScoreSettings.defaults());
        double[] reference = scorer.score(pixels, ROWS);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<double[]>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> scorer.score(pixels, ROWS)));
            }
            for (java.util.concurrent.Future<double[]> f : futures) {
                assertThat(f.get()).containsExactly(reference);
            }
        } finally {
            pool.shutdown();
        }
    }
}
