package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.simd.VectorElementKernels;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC section 3 across JVMs: one model file scored in this JVM (the build runs tests with the Vector API module),
 * in a child JVM started without the module (the scalar kernels) and in a child JVM whose vector kernels have the
 * other width (256 bits when this JVM's are 512, and the reverse): every score is the same bits, at z = mu, with
 * sampled latents and as IWAE. Models trained on satimage-2 (36 features: vectors of eight or sixteen and a tail),
 * one per likelihood with a transcendental link, one of them a tanh network.
 */
class SimdFallbackParityTest {

    private static final int SCORES = 3;

    private static double[][] readChild(Path out, int rows, String expectedKernels) throws Exception {
        double[][] scores = new double[rows][SCORES];
        try (DataInputStream in = new DataInputStream(Files.newInputStream(out))) {
            assertThat(in.readUTF()).startsWith(expectedKernels);
            assertThat(in.readInt()).isEqualTo(rows);
            for (int i = 0; i < rows; i++) {
                for (int s = 0; s < SCORES; s++) {
                    scores[i][s] = in.readDouble();
                }
            }
        }
        return scores;
    }

    private static void runChild(List<String> jvmOptions, Path modelFile, Path csv, Path out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ChildScoresMain.class.getName(), modelFile.toString(), csv.toString(), out.toString()));
        Process child = new ProcessBuilder(command).inheritIO().start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian", "bernoulli"})
    void givenOneModelFile_whenScoredWithoutTheVectorModuleOrAtTheOtherWidth_thenEveryScoreIsTheSameBits(
            String likelihood, @TempDir Path dir) throws Exception {
        ElementKernels vector = Simd.kernels();
        assertThat(vector).as(Simd.describe()).isNotNull();
        String otherWidth = vector.name().equals("simd-512") ? "256" : "512";
        Path csv = SharedData.require("data/satimage-2/satimage-2.csv");
        Table t = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of()));
        Likelihood lik = likelihood.equals("gaussian") ? LearnedVarianceGaussian.INSTANCE : BernoulliLikelihood.INSTANCE;
        Activation act = likelihood.equals("gaussian") ? Activation.TANH : Activation.RELU;
        TrainingConfig config = TrainingConfig.builder().likelihood(lik).activation(act).hidden(List.of(48))
                .latent(6).epochs(8).seed(5).build();
        VaeModel model = new VaeTrainer(config).fit(t).model();
        Path modelFile = dir.resolve("m.vae");
        ModelFile.write(model, modelFile);

        Path scalarOut = dir.resolve("scalar.bin");
        runChild(List.of(), modelFile, csv, scalarOut);
        Path widthOut = dir.resolve("width.bin");
        runChild(List.of("--add-modules", Simd.MODULE, "-D" + VectorElementKernels.BITS_PROPERTY + "=" + otherWidth),
                modelFile, csv, widthOut);
        double[][] scalar = readChild(scalarOut, t.rows(), "scalar (start java with --add-modules");
        double[][] otherVector = readChild(widthOut, t.rows(), "simd-" + otherWidth);

        VaeModel loaded = ModelFile.read(modelFile);
        double[][] own = {
                new Scorer(loaded, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0)).score(t.values(), t.rows()),
                new Scorer(loaded, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 4)).score(t.values(), t.rows()),
                new Scorer(loaded, new ScoreSettings(ScoreKind.IWAE, 8)).score(t.values(), t.rows())};
        for (int i = 0; i < t.rows(); i++) {
            for (int s = 0; s < SCORES; s++) {
                long bits = Double.doubleToLongBits(own[s][i]);
                assertThat(Double.doubleToLongBits(scalar[i][s])).as("row %d, score %d: %s (%s) vs %s (scalar)", i, s,
                        own[s][i], vector.name(), scalar[i][s]).isEqualTo(bits);
                assertThat(Double.doubleToLongBits(otherVector[i][s])).as("row %d, score %d: %s (%s) vs %s (simd-%s)",
                        i, s, own[s][i], vector.name(), otherVector[i][s], otherWidth).isEqualTo(bits);
            }
        }
    }
}
