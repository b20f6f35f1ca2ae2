package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ensembles in the model and its file: members kept bit for bit, version 4 only for them, bad member counts refused. */
class EnsembleModelFileTest {

    private static final Architecture ARCH = Architecture.defaults(5).withLikelihood(LearnedVarianceGaussian.bounded(false, 2.0));

    private static VaeModel ensemble(Architecture a, long... seeds) {
        List<NativeNetwork> members = java.util.Arrays.stream(seeds).mapToObj(s -> NativeNetwork.initialize(a, s)).toList();
        return VaeModel.builder(members)
                .scaler(new Scaler(ScalingKind.STANDARDIZE, new float[] {1, 2, 3, 4, 5}, new float[] {1, 1, 2, 2, 3}))
                .featureNames(List.of("a", "b", "c", "d", "e"))
                .seed(17)
                .threshold(new Threshold(9.5, "split", "validation split, 40 rows", ScoreSettings.defaults()))
                .provenance("trainer.ensemble", Integer.toString(seeds.length))
                .build();
    }

    private static int version(byte[] file) {
        return ByteBuffer.wrap(file).getInt(8);
    }

    @Test
    void givenAThreeMemberEnsemble_whenWrittenAndRead_thenEveryMembersParametersComeBackBitForBitAsVersion4() throws Exception {
        VaeModel model = ensemble(ARCH, 1, 2, 3);
        byte[] bytes = ModelFile.toBytes(model);
        VaeModel back = ModelFile.fromBytes(bytes, "ensemble");

        assertThat(version(bytes)).isEqualTo(4);
        assertThat(back.memberCount()).isEqualTo(3);
        for (int m = 0; m < 3; m++) {
            assertThat(((NativeNetwork) back.members().get(m)).parameters())
                    .containsExactly(((NativeNetwork) model.members().get(m)).parameters());
        }
        assertThat(back.threshold()).isEqualTo(model.threshold());
        assertThat(back.scaler()).isEqualTo(model.scaler());
        assertThat(ModelFile.toBytes(back)).isEqualTo(bytes);
    }

    @Test
    void givenOneNetwork_whenWritten_thenTheVersionIsTheOneEarlierBuildsRead() throws Exception {
        assertThat(version(ModelFile.toBytes(ensemble(ARCH, 1)))).isEqualTo(2);
        Architecture shared = Architecture.defaults(5).withLikelihood(LearnedVarianceGaussian.SHARED);
        assertThat(version(ModelFile.toBytes(ensemble(shared, 1)))).isEqualTo(3);
        assertThat(version(ModelFile.toBytes(ensemble(shared, 1, 2)))).isEqualTo(4);
        VaeModel back = ModelFile.fromBytes(ModelFile.toBytes(ensemble(shared, 1, 2)), "shared");
        assertThat(((NativeNetwork) back.members().get(1)).parameters())
                .containsExactly(NativeNetwork.initialize(shared, 2).parameters());
    }

    @Test
    void givenAFileWhoseMemberCountIsOutOfRange_whenRead_thenRefusedNamingTheCount() throws Exception {
        VaeModel model = ensemble(ARCH, 1, 2);
        byte[] payload = payloadOf(ModelFile.toBytes(model));
        // The payload ends with the count of further members, then the second network: its backend name (an int
        // length and the bytes of "native") and its parameters (an int count and the floats).
        int secondNetwork = 4 + "native".length() + 4 + 4 * ((NativeNetwork) model.members().get(1)).parameters().length;
        int at = payload.length - secondNetwork - 4;
        assertThat(ByteBuffer.wrap(payload).getInt(at)).isEqualTo(1);
        for (int bad : new int[] {0, -1, ModelFile.MAX_MEMBERS}) {
            byte[] changed = payload.clone();
            ByteBuffer.wrap(changed).putInt(at, bad);
            assertThatThrownBy(() -> ModelFile.fromBytes(withPayload(changed), "bad-count"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("bad-count")
                    .hasMessageContaining("ensemble with " + (bad + 1) + " members");
        }
    }

    @Test
    void givenMembersOfDifferentArchitectures_whenBuilt_thenRefusedNamingTheMember() {
        VaeNetwork a = NativeNetwork.initialize(ARCH, 1);
        VaeNetwork b = NativeNetwork.initialize(ARCH.withLatentDim(3), 2);
        assertThatThrownBy(() -> VaeModel.builder(List.of(a, b)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("member 2");
        assertThatThrownBy(() -> VaeModel.builder(List.<VaeNetwork>of()).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenAnEnsemble_whenAMemberIsTaken_thenItIsThatNetworkWithoutTheEnsemblesThreshold() {
        VaeModel model = ensemble(ARCH, 1, 2);
        VaeModel second = model.member(1);
        assertThat(second.memberCount()).isEqualTo(1);
        assertThat(second.network()).isSameAs(model.members().get(1));
        assertThat(second.threshold()).isNull();
        assertThat(second.scaler()).isEqualTo(model.scaler());
        assertThat(second.featureNames()).isEqualTo(model.featureNames());
        assertThatThrownBy(() -> model.member(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> model.encode(new float[5], 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("member(m)");
        assertThat(second.encode(new float[5], 1)).hasSize(ARCH.latentDim());
    }

    @Test
    void givenAnEnsemble_whenGenerating_thenRowIComesFromMemberIModM() {
        VaeModel model = ensemble(ARCH, 1, 2, 3);
        float[] rows = model.generate(7, 5, false);
        int d = ARCH.inputDim();
        for (int m = 0; m < 3; m++) {
            // The same latent draws: member m alone decodes every row, the ensemble keeps rows m, m + 3, ...
            float[] alone = model.member(m).generate(7, 5, false);
            for (int i = m; i < 7; i += 3) {
                assertThat(java.util.Arrays.copyOfRange(rows, i * d, (i + 1) * d))
                        .containsExactly(java.util.Arrays.copyOfRange(alone, i * d, (i + 1) * d));
            }
        }
    }

    private static final int HEADER = 8 + 4 + 8 + 32;

    private static byte[] payloadOf(byte[] file) {
        return java.util.Arrays.copyOfRange(file, HEADER, file.length);
    }

    private static byte[] withPayload(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.put(new byte[] {(byte) 0x89, 'V', 'A', 'E', '\r', '\n', 0x1A, '\n'});
        b.putInt(4);
        b.putLong(payload.length);
        b.put(FileBytes.sha256(payload));
        b.put(payload);
        return b.array();
    }
}
