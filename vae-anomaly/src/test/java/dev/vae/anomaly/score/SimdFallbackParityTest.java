package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.kernel.Simd;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.train.data.CsvOptions;
import dev.vae.train.data.CsvReader;
import dev.vae.train.data.Table;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vectorised element-wise kernels (this JVM: the build runs tests with the Vector API module) against the
 * scalar fallback (a child JVM started with {@code -Dvae.simd=off}) on the same model file and rows: every score
 * within 1e-5 relative (measured: 5.8e-6 for a tanh network, whose activations differ in their last float bit and
 * carry that through the decoder; 3.6e-8 for a ReLU one), at z = mu and with sampled latents. Models trained on
 * satimage-2 (36 features: four vectors of eight and a scalar tail), one per likelihood with a transcendental link.
 */
class SimdFallbackParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"gaussian", "bernoulli"})
    void givenOneModelFile_whenScoredWithVectorAndScalarKernels_thenScoresAgreeWithinFloatRounding(String likelihood,
            @TempDir Path dir) throws Exception {
        assertThat(Simd.kernels()).as(Simd.describe()).isNotNull();
        Path csv = SharedData.require("data/satimage-2/satimage-2.csv");
        Table t = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of()));
        Likelihood lik = likelihood.equals("gaussian") ? LearnedVarianceGaussian.INSTANCE : BernoulliLikelihood.INSTANCE;
        Activation act = likelihood.equals("gaussian") ? Activation.TANH : Activation.RELU;
        TrainingConfig config = TrainingConfig.builder().likelihood(lik).activation(act).hidden(List.of(48))
                .latent(6).epochs(8).seed(5).build();
        VaeModel model = new VaeTrainer(config).fit(t).model();
        Path modelFile = dir.resolve("m.vae");
        ModelFile.write(model, modelFile);

        Path out = dir.resolve("scalar.bin");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", Simd.MODULE, "-D" + Simd.PROPERTY + "=off", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), ScalarScoresMain.class.getName(),
                modelFile.toString(), csv.toString(), out.toString()).inheritIO().start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).isZero();

        VaeModel loaded = ModelFile.read(modelFile);
        double[] zMu = new Scorer(loaded, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0)).score(t.values(), t.rows());
        double[] sampled = new Scorer(loaded, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 4)).score(t.values(), t.rows());
        double worst = 0;
        int identical = 0;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(out))) {
            assertThat(in.readUTF()).startsWith("off");
            assertThat(in.readInt()).isEqualTo(t.rows());
            for (int i = 0; i < t.rows(); i++) {
                double[] scalar = {in.readDouble(), in.readDouble()};
                double[] vector = {zMu[i], sampled[i]};
                for (int s = 0; s < 2; s++) {
                    double rel = Math.abs(vector[s] - scalar[s]) / Math.max(1.0, Math.abs(scalar[s]));
                    worst = Math.max(worst, rel);
                    identical += vector[s] == scalar[s] ? 1 : 0;
                }
            }
        }
        System.out.printf("SimdFallbackParityTest %s: %d rows, largest relative difference %.2e, %d of %d scores "
                + "bit-identical%n", likelihood, t.rows(), worst, identical, 2 * t.rows());
        assertThat(worst).isLessThan(1e-5);
    }
}
