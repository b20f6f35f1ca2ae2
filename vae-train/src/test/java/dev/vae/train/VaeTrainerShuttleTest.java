package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Trains on the real Statlog Shuttle set: the loss falls and held-out anomalies score higher than normals. */
class VaeTrainerShuttleTest {

    private static Table shuttle() throws Exception {
        return CsvReader.read(SharedData.require("data/shuttle/shuttle.csv"), CsvOptions.withLabel("label", Set.of()));
    }

    private static double[] negativeElbo(VaeModel model, Table t) {
        NativeNetwork net = model.nativeNetwork();
        float[] x = model.toModelSpace(t.values(), t.rows());
        double[] recon = new double[t.rows()];
        double[] kl = new double[t.rows()];
        net.objective().loss(net.parameters(), x, 0, t.rows(), null, net.objective().workspace(t.rows()), recon, kl);
        double[] s = new double[t.rows()];
        for (int i = 0; i < s.length; i++) {
            s[i] = recon[i] + kl[i];
        }
        return s;
    }

    @Test
    void givenShuttleNormals_whenTrained_thenLossFallsAndHeldOutAnomaliesScoreHigher() throws Exception {
        Table all = shuttle();
        int[] trainIdx = new int[all.rows() / 2];
        int[] testIdx = new int[all.rows() - trainIdx.length];
        for (int i = 0, a = 0, b = 0; i < all.rows(); i++) {
            if (i % 2 == 0 && a < trainIdx.length) {
                trainIdx[a++] = i;
            } else {
                testIdx[b++] = i;
            }
        }
        Table train = all.select(trainIdx).normalOnly();
        Table test = all.select(testIdx);
        TrainingConfig config = TrainingConfig.builder().epochs(8).hidden(List.of(32)).latent(4).build();
        TrainingResult result = new VaeTrainer(config).fit(train);
        List<EpochStats> h = result.history();
        assertThat(h.get(h.size() - 1).loss()).isLessThan(h.get(0).loss());
        assertThat(h.get(h.size() - 1).validationLoss()).isLessThan(h.get(0).validationLoss());

        double[] s = negativeElbo(result.model(), test);
        double normal = 0;
        double anomalous = 0;
        int nn = 0;
        int na = 0;
        for (int i = 0; i < s.length; i++) {
            if (test.labels()[i] == 0) {
                normal += s[i];
                nn++;
            } else {
                anomalous += s[i];
                na++;
            }
        }
        assertThat(na).isPositive();
        assertThat(anomalous / na).isGreaterThan(normal / nn + 5.0);
    }

    @Test
    void givenTheSameSeed_whenTrainedTwice_thenTheModelsAreBitIdentical() throws Exception {
        Table all = shuttle();
        int[] idx = new int[3000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * 7;
        }
        Table t = all.select(idx);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(3);
        VaeModel a = new VaeTrainer(config).fit(t).model();
        VaeModel b = new VaeTrainer(config).fit(t).model();
        assertThat(a.nativeNetwork().parameters()).containsExactly(b.nativeNetwork().parameters());
        assertThat(a.scaler()).isEqualTo(b.scaler());
        VaeModel c = new VaeTrainer(config.withSeed(7)).fit(t).model();
        assertThat(c.nativeNetwork().parameters()).isNotEqualTo(a.nativeNetwork().parameters());
        // The saved bytes differ only by provenance timestamps: compare the networks after a round trip.
        VaeModel back = ModelFile.fromBytes(ModelFile.toBytes(a), "memory");
        assertThat(back.network()).isEqualTo(a.network());
    }
}
