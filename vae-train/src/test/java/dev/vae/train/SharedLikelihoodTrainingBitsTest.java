package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.io.ModelFile;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.ElboPass;
import dev.vae.core.testing.RecordedLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training with a likelihood that shares parameters across rows ({@code gaussian-shared}, {@code student-t-shared},
 * composites holding one, whether its shared outputs end the raw row or sit in its middle) gives the bits it gave
 * when those parameters were decoder outputs held to their biases: the lines of {@code shared-likelihood-bits.txt}
 * were recorded with that code. A line covers the history (clock fields aside) and the negative ELBO at z = mu of
 * every breastw row under the trained model, so it does not depend on how the parameters are laid out. The models are
 * small (8 hidden units, batches of 32): no product reaches a native BLAS, so the bits are the same on every machine.
 *
 * <p>{@code shared-epoch3.ckpt} is a checkpoint of the {@code gaussian-shared} run written by that code (its
 * parameters in the layout with the zero weights); it must resume to the uninterrupted run's bits.
 */
class SharedLikelihoodTrainingBitsTest {

    static Table breastw;

    @BeforeAll
    static void readData() throws IOException {
        TrainerBitsTest.readData();
        breastw = TrainerBitsTest.breastw;
    }

    /** The recorded runs: each shared likelihood, one and two threads, clipping that bites, trimming after epoch 3. */
    static List<TrainingConfig> configs() {
        List<TrainingConfig> all = new ArrayList<>();
        for (String likelihood : List.of("gaussian-shared", "student-t-shared:nu=6",
                "composite:gaussian-shared[0-3],bernoulli[4-8]", "composite:bernoulli[0-4],student-t-shared[5-8]")) {
            for (int threads : new int[] {1, 2}) {
                all.add(TrainerBitsTest.small().likelihood(Likelihoods.parse(likelihood)).threads(threads).epochs(5).clipNorm(1)
                        .trimWarmupEpochs(3).build());
            }
        }
        return all;
    }

    @Test
    void givenEachSharedLikelihood_whenTrained_thenHistoryAndScoresAreTheRecordedOnes() {
        List<String> actual = new ArrayList<>();
        for (TrainingConfig c : configs()) {
            TrainingResult r = new VaeTrainer(c).fit(breastw);
            actual.add(line(c, r));
        }
        assertThat(actual).isEqualTo(RecordedLines.of(getClass(), "shared-likelihood-bits.txt", "fit"));
    }

    @Test
    void givenACheckpointWrittenWhenSharedParametersWereDecoderBiases_whenResumed_thenItEndsOnTheUninterruptedBits()
            throws IOException {
        TrainingConfig c = configs().get(0);
        TrainingResult straight = new VaeTrainer(c).fit(breastw);
        Checkpoint old = Checkpoint.fromBytes(resource("shared-epoch3.ckpt"), "recorded checkpoint");
        TrainingResult resumed = new VaeTrainer(c).resume(breastw, old);
        assertThat(scores(resumed.model())).isEqualTo(scores(straight.model()));
        assertThat(line(c, resumed)).isEqualTo(line(c, straight));
    }

    /**
     * A version-2 model file of each shared likelihood, written when the shared parameters were decoder biases behind
     * zero weights, scores as it did; written by this build and read back, it scores the same bits.
     */
    @Test
    void givenVersion2FilesOfSharedLikelihoods_whenReadAndRewritten_thenBothScoreTheRecordedBits() throws IOException {
        List<String> actual = new ArrayList<>();
        for (String name : List.of("gaussian-shared", "student-t-shared", "composite-middle", "composite-tail")) {
            byte[] bytes = resource("shared-v2/" + name + ".vae");
            assertThat(ByteBuffer.wrap(bytes, 8, 4).getInt()).as("format version of %s", name).isEqualTo(2);
            VaeModel model = ModelFile.fromBytes(bytes, name);
            VaeModel again = ModelFile.fromBytes(ModelFile.toBytes(model), "rewritten " + name);
            assertThat(scores(again)).isEqualTo(scores(model));
            actual.add(name + " " + sha256(scoreBytes(scores(model))));
        }
        assertThat(actual).isEqualTo(RecordedLines.of(getClass(), "shared-likelihood-bits.txt", "v2"));
    }

    private static byte[] scoreBytes(double[] scores) {
        ByteBuffer b = ByteBuffer.allocate(8 * scores.length);
        for (double v : scores) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** The likelihood, best epoch, and the SHA-256 of the history (clock fields aside) and of every row's score. */
    static String line(TrainingConfig c, TrainingResult r) {
        ByteBuffer b = ByteBuffer.allocate(8 * (10 * r.history().size() + breastw.rows()));
        for (EpochStats s : r.history()) {
            b.putDouble(s.epoch()).putDouble(s.loss()).putDouble(s.reconstruction()).putDouble(s.kl())
                    .putDouble(s.validationLoss()).putDouble(s.allRowsLoss()).putDouble(s.leftOutLoss())
                    .putDouble(s.leftOutRows()).putDouble(0).putDouble(0);
        }
        for (double v : scores(r.model())) {
            b.putDouble(v);
        }
        return c.likelihood() + " threads " + c.threads() + " best " + r.bestEpoch() + " " + sha256(b.array());
    }

    /** The negative ELBO at z = mu of every breastw row. */
    static double[] scores(VaeModel model) {
        float[] x = model.toModelSpace(breastw.values(), breastw.rows());
        ElboPass pass = ElboPass.of(model.network());
        pass.encode(x, 0, breastw.rows());
        pass.decodeMean();
        double[] s = new double[breastw.rows()];
        for (int i = 0; i < s.length; i++) {
            s[i] = pass.reconstruction(i) + pass.kl(i);
        }
        return s;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(name), name)) {
            return in.readAllBytes();
        }
    }
}
