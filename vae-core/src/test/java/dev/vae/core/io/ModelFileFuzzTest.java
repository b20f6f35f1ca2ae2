package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.vae.core.nn.Architecture;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ModelFile#fromBytes}: truncation at every length, every single-bit flip, random bytes, and
 * mutated payloads re-signed with a valid checksum (what a hostile writer can produce). The only acceptable
 * outcomes are a model or a {@link ModelFormatException}; an {@link OutOfMemoryError} (a hostile count honoured), any
 * other exception or a hang fails the test. Seeded, so a failure replays; the counts are printed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang detector only; the budget below runs in a few seconds
class ModelFileFuzzTest {

    private static final int HEADER = 8 + 4 + 8 + 32;

    static VaeModel model() {
        Architecture a = Architecture.defaults(5).withHidden(List.of(7)).withLatentDim(2)
                .withLikelihood(LearnedVarianceGaussian.INSTANCE);
        return VaeModel.builder(NativeNetwork.initialize(a, 11))
                .scaler(new Scaler(ScalingKind.STANDARDIZE, new float[] {1, 2, 3, 4, 5}, new float[] {1, 1, 2, 2, 3}))
                .featureNames(List.of("v1", "v2", "v3", "v4", "amount"))
                .seed(5)
                .threshold(new Threshold(3.25, "quantile:0.99", "validation", ScoreSettings.defaults()))
                .scoreSettings(new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 2))
                .provenance("data", "creditcard.csv")
                .build();
    }

    /** A file around {@code payload} with a correct header: magic, version 1, length and SHA-256. */
    static byte[] sign(byte[] payload) throws Exception {
        byte[] file = ModelFile.toBytes(model());
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.put(file, 0, 12).putLong(payload.length).put(MessageDigest.getInstance("SHA-256").digest(payload)).put(payload);
        return b.array();
    }

    /** Parses and returns 1 when a model came out, 0 when refused with the documented exception; fails otherwise. */
    private static int parse(byte[] bytes, String what) {
        try {
            ModelFile.fromBytes(bytes, "fuzz");
            return 1;
        } catch (ModelFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz: ");
            return 0;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return -1;
        }
    }

    @Test
    void givenEveryTruncation_whenRead_thenEachIsRefused() throws Exception {
        byte[] bytes = ModelFile.toBytes(model());
        for (int len = 0; len < bytes.length; len++) {
            assertThat(parse(Arrays.copyOf(bytes, len), "truncated to " + len)).as("truncated to %d", len).isZero();
        }
        assertThat(parse(bytes, "whole")).isOne();
        System.out.printf("ModelFileFuzzTest: %d truncations refused%n", bytes.length);
    }

    @Test
    void givenEverySingleBitFlip_whenRead_thenEachIsRefused() throws Exception {
        byte[] bytes = ModelFile.toBytes(model());
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit >> 3] ^= (byte) (1 << (bit & 7));
            assertThat(parse(flipped, "bit " + bit)).as("bit %d flipped", bit).isZero();
        }
        System.out.printf("ModelFileFuzzTest: %d bit flips refused%n", bytes.length * 8);
    }

    /** The same for a version-3 file: a model whose likelihood owns parameters (gaussian-shared). */
    @Test
    void givenEverySingleBitFlipOrTruncationOfAVersion3File_whenRead_thenEachIsRefused() throws Exception {
        VaeModel shared = VaeModel.builder(NativeNetwork.initialize(model().architecture()
                .withLikelihood(LearnedVarianceGaussian.SHARED), 11)).scaler(model().scaler()).build();
        byte[] bytes = ModelFile.toBytes(shared);
        assertThat(ByteBuffer.wrap(bytes, 8, 4).getInt()).isEqualTo(3);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit >> 3] ^= (byte) (1 << (bit & 7));
            assertThat(parse(flipped, "bit " + bit)).as("bit %d flipped", bit).isZero();
        }
        for (int len = 0; len < bytes.length; len++) {
            assertThat(parse(Arrays.copyOf(bytes, len), "truncated to " + len)).as("truncated to %d", len).isZero();
        }
        assertThat(parse(bytes, "whole")).isOne();
    }

    @Test
    void givenRandomBytes_whenRead_thenOnlyModelFormatExceptionComesOut() throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        byte[] valid = ModelFile.toBytes(model());
        int runs = 20_000;
        for (int i = 0; i < runs; i++) {
            byte[] junk = new byte[random.nextInt(600)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 12) {
                System.arraycopy(valid, 0, junk, 0, 12); // past the magic and version checks
            }
            assertThat(parse(junk, "random #" + i)).isZero();
        }
        System.out.printf("ModelFileFuzzTest: %d random inputs refused%n", runs);
    }

    @Test
    void givenResignedMutatedPayloads_whenRead_thenAModelOrAModelFormatExceptionComesOut() throws Exception {
        byte[] payload = Arrays.copyOfRange(ModelFile.toBytes(model()), HEADER, ModelFile.toBytes(model()).length);
        int[] hostile = {-1, 0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0x4000_0000, 65_536, 65_537, 1 << 20};
        SplittableRandom random = new SplittableRandom(13);
        int runs = 30_000;
        int parsed = 0;
        for (int i = 0; i < runs; i++) {
            byte[] p = payload.clone();
            int kind = random.nextInt(4);
            if (kind == 0) { // a few random bytes
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            } else if (kind == 1) { // a hostile count or width at a random (often aligned) place
                ByteBuffer.wrap(p).putInt(random.nextInt(p.length - 3), hostile[random.nextInt(hostile.length)]);
            } else if (kind == 2) { // cut or extended
                p = Arrays.copyOf(p, random.nextInt(p.length + 64));
            } else { // a random slice deleted
                int from = random.nextInt(p.length);
                int to = Math.min(p.length, from + 1 + random.nextInt(64));
                byte[] q = new byte[p.length - (to - from)];
                System.arraycopy(p, 0, q, 0, from);
                System.arraycopy(p, to, q, from, p.length - to);
                p = q;
            }
            int r = parse(sign(p), "mutation #" + i);
            parsed += r;
        }
        System.out.printf("ModelFileFuzzTest: %d re-signed mutations, %d still a valid model, %d refused%n",
                runs, parsed, runs - parsed);
        assertThat(runs - parsed).isPositive();
    }

    @Test
    void givenAValidChecksumButAHostileParameterCount_whenRead_thenItIsRefusedWithoutAllocating() throws Exception {
        byte[] payload = Arrays.copyOfRange(ModelFile.toBytes(model()), HEADER, ModelFile.toBytes(model()).length);
        int params = ((NativeNetwork) model().network()).parameterCount();
        int countAt = payload.length - 4 * params - 4;
        assertThat(ByteBuffer.wrap(payload).getInt(countAt)).isEqualTo(params);
        byte[] p = payload.clone();
        ByteBuffer.wrap(p).putInt(countAt, Integer.MAX_VALUE);
        // 2^31 - 1 floats would be 8 GiB: the count is checked against the bytes present before any array is made.
        assertThatThrownBy(() -> ModelFile.fromBytes(sign(p), "hostile.vae")).isInstanceOf(ModelFormatException.class)
                .hasMessage("hostile.vae: malformed model file (parameters count 2147483647 exceeds the " + (4 * params)
                        + " bytes left)");
        // A huge architecture whose parameter count overflows an int is refused before a network is built.
        ByteBuffer w = ByteBuffer.wrap(p);
        w.putInt(countAt, params);
        w.putInt(0, 65_536); // input dimension
        w.putInt(8, 65_536); // the encoder's hidden width
        assertThatThrownBy(() -> ModelFile.fromBytes(sign(p), "huge.vae")).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("huge.vae: ");
    }
}
