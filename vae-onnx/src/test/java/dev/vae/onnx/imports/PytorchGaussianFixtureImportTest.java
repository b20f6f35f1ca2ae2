package dev.vae.onnx.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.onnx.OrtTestSupport;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PyTorch-trained, PyTorch-exported Gaussian VAE of {@code fixtures/pytorch-gaussian} (see its README and
 * {@code make_fixture.py}): its decoder outputs log sigma^2 directly, about half of them beyond +-3. Imported as a
 * {@code gaussian}, through ONNX Runtime and converted to a native network, it must reproduce PyTorch's own scores,
 * which only an unbounded link does: the library's default link would squash those log-variances into (-3, 3).
 */
class PytorchGaussianFixtureImportTest {

    private static final String DIR = "/fixtures/pytorch-gaussian/";
    private static final double TOLERANCE = 1e-4;

    private static int rows;
    private static int d;
    private static float[] x;
    private static double[] negativeElbo;
    private static double[] reconstruction;

    @BeforeAll
    static void readFixture() throws Exception {
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(resource("scores.csv"))) {
            lines = r.lines().toList();
        }
        List<String> header = Arrays.asList(lines.get(0).split(","));
        d = header.indexOf("label");
        int elbo = header.indexOf("neg_elbo_zmu");
        int recon = header.indexOf("recon_nll_zmu");
        rows = lines.size() - 1;
        x = new float[rows * d];
        negativeElbo = new double[rows];
        reconstruction = new double[rows];
        for (int i = 0; i < rows; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int j = 0; j < d; j++) {
                x[i * d + j] = Float.parseFloat(f[j]);
            }
            negativeElbo[i] = Double.parseDouble(f[elbo]);
            reconstruction[i] = Double.parseDouble(f[recon]);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(PytorchGaussianFixtureImportTest.class.getResource(DIR + name).toURI());
    }

    /** Imported as a foreign model: no metadata, the likelihood given as on the command line. */
    private static VaeModel importFixture(OnnxImportOptions.Backend backend) throws Exception {
        return OnnxImporter.importModel(resource("encoder.onnx"), resource("decoder.onnx"),
                OnnxImportOptions.defaults().withBackend(backend).withLikelihood(Likelihoods.parse("gaussian")));
    }

    /**
     * The largest relative error of the model's scores of the fixture rows against PyTorch's, measured against
     * max(|score|, 1 nat) as the other parity tests do ({@link OrtTestSupport#relativeError}): some rows score within
     * 0.1 nat of 0, where float32 rounding in the networks (ONNX Runtime's or ours against PyTorch's) is not a relative
     * error of the score. (Measured plainly, |a - b| / |b|, the worst rows are at about 5e-5 to 1e-4.)
     */
    private static double worstError(VaeModel model, ScoreKind kind, double[] expected) {
        double[] scores = new Scorer(model, new ScoreSettings(kind, 0)).score(x, rows);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            worst = Math.max(worst, OrtTestSupport.relativeError(scores[i], expected[i]));
        }
        return worst;
    }

    @Test
    void givenTheFixture_whenItsDecoderRunsInOnnxRuntime_thenManyLogVariancesLieBeyondThree() throws Exception {
        // What makes the fixture a test of the link: on the encoders' means, log-variances beyond +-3 on both sides.
        byte[] encoder = Files.readAllBytes(resource("encoder.onnx"));
        byte[] decoder = Files.readAllBytes(resource("decoder.onnx"));
        float[] mu = (float[]) OrtTestSupport.run(encoder, "x", x, rows, d).get("mu");
        float[] logvar = (float[]) OrtTestSupport.run(decoder, "z", mu, rows, mu.length / rows).get("logvar");
        int above = 0;
        int below = 0;
        for (float s : logvar) {
            above += s > 3 ? 1 : 0;
            below += s < -3 ? 1 : 0;
        }
        assertThat(above).isGreaterThan(logvar.length / 10);
        assertThat(below).isGreaterThan(logvar.length / 10);
    }

    @ParameterizedTest
    @EnumSource(OnnxImportOptions.Backend.class)
    void givenPytorchGaussianGraphs_whenImported_thenScoresMatchPytorch(OnnxImportOptions.Backend backend) throws Exception {
        VaeModel model = importFixture(backend);
        assertThat(model.network().backend()).isEqualTo(backend == OnnxImportOptions.Backend.NATIVE ? "native" : "onnx");
        double elbo = worstError(model, ScoreKind.NEGATIVE_ELBO, negativeElbo);
        double recon = worstError(model, ScoreKind.RECONSTRUCTION, reconstruction);
        System.out.printf("pytorch gaussian fixture via %s: %d rows, largest relative error %.3g (negative ELBO), "
                + "%.3g (reconstruction)%n", backend, rows, elbo, recon);
        assertThat(elbo).isLessThan(TOLERANCE);
        assertThat(recon).isLessThan(TOLERANCE);
        // A foreign decoder's logvar is log sigma^2 itself: the model says so in its likelihood id.
        assertThat(model.architecture().likelihood().id()).isEqualTo("gaussian:logvar-unbounded");
        // The encoder's (x - offset) / divisor became the model's scaler.
        assertThat(model.scaler().offset()[0]).isGreaterThan(1f);
    }

    @Test
    void givenPytorchGaussianGraphs_whenConvertedToNative_thenTheArchitectureIsPytorchs() throws Exception {
        VaeModel model = importFixture(OnnxImportOptions.Backend.NATIVE);
        assertThat(model.architecture().encoderHidden()).containsExactly(16);
        assertThat(model.architecture().decoderHidden()).containsExactly(16);
        assertThat(model.architecture().latentDim()).isEqualTo(4);
        assertThat(model.architecture().activation()).isEqualTo(Activation.TANH);
    }

    @Test
    void givenAnExplicitBoundForAForeignDecoder_whenImported_thenItIsRefusedNamingTheUnboundedId() {
        // A bound would clip this decoder's log-variances: refused, not silently replaced by the unbounded link.
        assertThatThrownBy(() -> OnnxImporter.importModel(resource("encoder.onnx"), resource("decoder.onnx"),
                OnnxImportOptions.defaults().withLikelihood(Likelihoods.parse("gaussian:logvar-bound=7"))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("gaussian:logvar-bound=7").hasMessageContaining("gaussian:logvar-unbounded");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"student-t; ONNX", "student-t-shared:nu=9; NATIVE",
            "composite:student-t[0-4],gaussian[5-8]; ONNX"})
    void givenAStudentTForAForeignDecoder_whenImported_thenItIsRefusedNamingTheLikelihood(String likelihood,
                                                                                       OnnxImportOptions.Backend backend) {
        // Our Student-t's log-scale has only the bounded link: a foreign decoder's values would be clipped to (-3, 3).
        assertThatThrownBy(() -> OnnxImporter.importModel(resource("encoder.onnx"), resource("decoder.onnx"),
                OnnxImportOptions.defaults().withBackend(backend).withLikelihood(Likelihoods.parse(likelihood))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(likelihood.startsWith("composite") ? "student-t" : likelihood)
                .hasMessageContaining("no metadata");
    }

    @Test
    void givenTheUnboundedIdForAForeignDecoder_whenImported_thenItIsThePlainGaussiansModel() throws Exception {
        VaeModel model = OnnxImporter.importModel(resource("encoder.onnx"), resource("decoder.onnx"),
                OnnxImportOptions.defaults().withLikelihood(Likelihoods.parse("gaussian:logvar-unbounded")));
        assertThat(model.architecture()).isEqualTo(importFixture(OnnxImportOptions.Backend.ONNX).architecture());
    }

    @ParameterizedTest
    @EnumSource(OnnxImportOptions.Backend.class)
    void givenImportedGaussianModel_whenSavedAndLoaded_thenItKeepsItsLinkAndItsScores(OnnxImportOptions.Backend backend,
                                                                                      @TempDir Path dir) throws Exception {
        VaeModel model = importFixture(backend);
        Path file = dir.resolve("pytorch-gaussian.vae");
        ModelFile.write(model, file);
        VaeModel loaded = ModelFile.read(file);
        assertThat(loaded.architecture().likelihood()).isEqualTo(model.architecture().likelihood());
        assertThat(new Scorer(loaded, ScoreSettings.defaults()).score(x, rows))
                .containsExactly(new Scorer(model, ScoreSettings.defaults()).score(x, rows));
    }
}
