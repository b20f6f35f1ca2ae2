package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeObjective;
import dev.vae.core.nn.Workspace;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trimmed-loss training: the rows of highest loss leave the gradient, so planted outliers are not learned. */
class TrimmedTrainingTest {

    static final int NORMAL = 570;
    static final int PLANTED = 30;

    /**
     * 570 rows near a curve in 6 dimensions (one latent factor plus small noise), then 30 planted rows spread
     * uniformly over a wide box: the contaminated training data of an anomaly detector.
     */
    static Table contaminated() {
        SplittableRandom r = new SplittableRandom(7);
        int d = 6;
        float[][] rows = new float[NORMAL + PLANTED][d];
        for (int i = 0; i < NORMAL; i++) {
            double t = r.nextDouble(-2, 2);
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) (Math.sin(t * (j + 1) / 2.0) + 0.05 * gaussian(r));
            }
        }
        for (int i = NORMAL; i < NORMAL + PLANTED; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) r.nextDouble(-3, 3);
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return Table.of(names, rows, null);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * Untrimmed (the library default trims): each test opts in. Per-row variances and a fixed share, the settings
     * these tests were written for; the adaptive tests set their own.
     */
    private static TrainingConfig.Builder config() {
        return TrainingConfig.builder().hidden(List.of(16)).latent(2).epochs(60).batchSize(32).patience(0).threads(1)
                .seed(3).trimFraction(0).likelihood(LearnedVarianceGaussian.INSTANCE).trimAdaptive(false);
    }

    /** The negative ELBO at z = mu of every row of {@code data} under {@code m}. */
    static double[] scores(VaeModel m, Table data) {
        NativeNetwork net = m.nativeNetwork();
        float[] x = m.toModelSpace(data.values(), data.rows());
        double[] recon = new double[data.rows()];
        double[] kl = new double[data.rows()];
        net.objective().loss(net.parameters(), x, 0, data.rows(), null, net.objective().workspace(data.rows()), recon, kl);
        double[] s = new double[data.rows()];
        for (int i = 0; i < s.length; i++) {
            s[i] = recon[i] + kl[i];
        }
        return s;
    }

    /** How many of the planted rows are among the PLANTED highest scores. */
    static int plantedOnTop(double[] s) {
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double cut = sorted[sorted.length - PLANTED];
        int n = 0;
        for (int i = NORMAL; i < s.length; i++) {
            n += s[i] >= cut ? 1 : 0;
        }
        return n;
    }

    /** The mean score of the planted rows minus the mean of the normal rows. */
    static double gap(double[] s) {
        double normal = 0;
        double planted = 0;
        for (int i = 0; i < s.length; i++) {
            if (i < NORMAL) {
                normal += s[i] / NORMAL;
            } else {
                planted += s[i] / PLANTED;
            }
        }
        return planted - normal;
    }

    @Test
    void givenPlantedOutliers_whenTrainedWithTrimming_thenTheyScoreHigherAgainstTheNormalRowsThanWithout() {
        Table data = contaminated();
        double[] plain = scores(new VaeTrainer(config().build()).fit(data).model(), data);
        double[] trimmed = scores(new VaeTrainer(config().trimFraction(0.1).trimWarmupEpochs(5).build()).fit(data)
                .model(), data);

        // Measured: a gap of 171 nats with trimming against 23 without; every planted row scores among the top 30.
        assertThat(gap(trimmed)).isGreaterThan(3 * gap(plain));
        assertThat(plantedOnTop(trimmed)).isEqualTo(PLANTED);
    }

    @Test
    void givenPlantedOutliers_whenTrainedWithTheDefaultAdaptiveTrimming_thenTheSplitCountsThemAndTheyScoreOnTop() {
        Table data = contaminated();
        TrainingConfig.Builder defaults = TrainingConfig.builder().hidden(List.of(16)).latent(2).epochs(60)
                .batchSize(32).patience(0).threads(1).seed(3).validationFraction(0);
        TrainingConfig adaptive = defaults.build();
        assertThat(adaptive.trimAdaptive()).isTrue();
        assertThat(adaptive.trimFraction()).isEqualTo(TrainingConfig.DEFAULT_TRIM_FRACTION);
        VaeModel model = new VaeTrainer(adaptive).fit(data).model();
        double[] trimmed = scores(model, data);
        VaeModel fixed = new VaeTrainer(defaults.trimAdaptive(false).build()).fit(data).model();

        // The split of the last epoch's losses leaves out the 30 planted rows and a few normal ones (41 measured,
        // where the cap is 180), and the planted rows score on top; a fixed 30% share leaves out all 180.
        int found = Integer.parseInt(model.provenance().get("result.trimmed-rows"));
        assertThat(found).isBetween(PLANTED, 2 * PLANTED);
        assertThat(fixed.provenance()).containsEntry("result.trimmed-rows", "180");
        assertThat(plantedOnTop(trimmed)).isEqualTo(PLANTED);
        assertThat(model.provenance()).containsEntry("trainer.trim-adaptive", "true");
    }

    @Test
    void givenLossesWithTwoModes_whenSplit_thenTheRowsOfTheHighModeAreCounted_nonFiniteOnesAbove_andEqualOnesNone() {
        SplittableRandom r = new SplittableRandom(1);
        double[] loss = new double[120];
        for (int i = 0; i < loss.length; i++) {
            // 100 rows near 10 nats, 20 near 60: the high mode is every sixth row.
            loss[i] = i % 6 == 5 ? 60 + r.nextDouble() : 10 + r.nextDouble();
        }
        assertThat(VaeTrainer.aboveLossSplit(loss)).isEqualTo(20);
        // A single huge loss does not take the split alone: the logarithm keeps the modes apart.
        loss[0] = 1e6;
        assertThat(VaeTrainer.aboveLossSplit(loss)).isEqualTo(21);
        loss[1] = Double.NaN;
        loss[2] = Double.POSITIVE_INFINITY;
        assertThat(VaeTrainer.aboveLossSplit(loss)).isEqualTo(23);
        // Negative losses (densities above 1) split the same way: only differences matter.
        double[] shifted = new double[120];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = (i % 6 == 5 ? 60 : 10) - 500 + 0.001 * i;
        }
        assertThat(VaeTrainer.aboveLossSplit(shifted)).isEqualTo(20);
        assertThat(VaeTrainer.aboveLossSplit(new double[] {3, 3, 3, 3})).isZero();
        assertThat(VaeTrainer.aboveLossSplit(new double[] {3})).isZero();
        assertThat(VaeTrainer.aboveLossSplit(new double[] {Double.NaN, 1})).isEqualTo(1);
    }

    @Test
    void givenTrimming_whenTrainedTwice_thenTheModelsAreBitIdentical_andTheyDifferFromAnUntrimmedRun() {
        Table data = contaminated();
        TrainingConfig c = config().epochs(12).threads(2).trimFraction(0.2).trimWarmupEpochs(2).patience(5).build();
        TrainingResult a = new VaeTrainer(c).fit(data);
        TrainingResult b = new VaeTrainer(c).fit(data);
        TrainingResult plain = new VaeTrainer(c.toBuilder().trimFraction(0).build()).fit(data);

        assertThat(a.model().nativeNetwork().parameters()).isEqualTo(b.model().nativeNetwork().parameters());
        assertThat(a.history().stream().map(EpochStats::validationLoss).toList())
                .isEqualTo(b.history().stream().map(EpochStats::validationLoss).toList());
        assertThat(a.model().nativeNetwork().parameters()).isNotEqualTo(plain.model().nativeNetwork().parameters());
        assertThat(a.model().provenance()).containsEntry("trainer.trim-fraction", "0.2")
                .containsEntry("trainer.trim-warmup-epochs", "2");
    }

    @Test
    void givenATrimmedRunInterruptedAfterACheckpoint_whenResumed_thenItEndsOnTheSameBitsAsAnUninterruptedRun(
            @TempDir Path dir) throws IOException {
        Table data = contaminated();
        TrainingConfig c = config().epochs(6).trimFraction(0.2).trimWarmupEpochs(1).build();
        TrainingResult straight = new VaeTrainer(c).fit(data);
        Path file = dir.resolve("run.ckpt");
        RunOptions crashInEpoch4 = RunOptions.none().withCheckpoints(file, 3).withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                if (stats.epoch() == 4) {
                    throw new IllegalStateException("simulated crash in epoch 4");
                }
            }
        });
        assertThatThrownBy(() -> new VaeTrainer(c).fit(data, crashInEpoch4)).hasMessageContaining("simulated crash");
        Checkpoint saved = Checkpoint.read(file);
        assertThat(saved.rowLosses()).hasSize(data.rows() - (int) Math.floor(data.rows() * 0.1));

        TrainingResult resumed = new VaeTrainer(c).resume(data, saved);
        assertThat(resumed.model().nativeNetwork().parameters()).isEqualTo(straight.model().nativeNetwork().parameters());
        // The saved history keeps each epoch's split into kept and left-out rows (trimming starts in epoch 2).
        for (int e = 0; e < 3; e++) {
            EpochStats s = saved.history().get(e);
            EpochStats t = straight.history().get(e);
            assertThat(List.of(s.loss(), s.allRowsLoss(), s.leftOutLoss(), (double) s.leftOutRows()))
                    .isEqualTo(List.of(t.loss(), t.allRowsLoss(), t.leftOutLoss(), (double) t.leftOutRows()));
        }
        assertThat(saved.history().get(2).leftOutRows()).isPositive();
        // Without the saved losses the checkpoint cannot continue the trimmed run.
        Checkpoint bare = new Checkpoint(saved.fingerprint(), saved.epoch(), saved.parameters(), saved.adamFirst(),
                saved.adamSecond(), saved.adamSteps(), saved.best(), saved.bestEpoch(), saved.bestLoss(),
                saved.sinceBest(), saved.history(), null);
        assertThatThrownBy(() -> new VaeTrainer(c).resume(data, bare)).hasMessageContaining("no row losses");
    }

    @Test
    void givenNoTrimming_whenTrained_thenTheWarmupSettingChangesNoBit() {
        Table data = contaminated();
        TrainingConfig c = config().epochs(4).build();
        float[] a = new VaeTrainer(c).fit(data).model().nativeNetwork().parameters();
        float[] b = new VaeTrainer(c.toBuilder().trimWarmupEpochs(1).build()).fit(data).model().nativeNetwork()
                .parameters();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void givenLosses_whenTheHighestAreMarked_thenExactlyMAreMarked_tiesGoToTheHigherIndex_andNaNCountsAsHighest() {
        boolean[] out = new boolean[6];
        VaeTrainer.highest(new double[] {1, 5, 3, 5, 2, 0}, 1, out);
        assertThat(out).containsExactly(false, false, false, true, false, false);
        VaeTrainer.highest(new double[] {1, 5, 3, 5, 2, 0}, 3, out);
        assertThat(out).containsExactly(false, true, true, true, false, false);
        VaeTrainer.highest(new double[] {1, Double.NaN, 3, 5, 2, 0}, 2, out);
        assertThat(out).containsExactly(false, true, false, true, false, false);
        VaeTrainer.highest(new double[] {1, 5, 3, 5, 2, 0}, 0, out);
        assertThat(out).containsOnly(false);
    }

    @Test
    void givenRowWeights_whenTheGradientIsComputed_thenWeightOneIsThePlainCall_weightZeroDropsTheRow_andRowLossesAreTheRowTerms() {
        Architecture arch = Architecture.defaults(5).withHidden(List.of(8)).withLatentDim(2);
        NativeNetwork net = NativeNetwork.initialize(arch, 11);
        VaeObjective o = net.objective();
        float[] p = net.parameters();
        int n = 4;
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        float[] eps = new float[n * 2];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) gaussian(r);
        }
        Workspace ws = o.workspace(n);
        float[] plain = new float[p.length];
        var lossPlain = o.lossAndGradient(p, x, 0, n, eps, 0.5, plain, ws);

        float[] ones = new float[p.length];
        double[] rowLoss = new double[n + 1];
        var lossOnes = o.lossAndGradient(p, x, 0, n, eps, 0.5, ones, ws, new float[] {9, 1, 1, 1, 1}, 1, rowLoss, 1);
        assertThat(ones).isEqualTo(plain);
        assertThat(lossOnes).isEqualTo(lossPlain);
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += rowLoss[i];
        }
        assertThat(rowLoss[0]).isZero();
        assertThat(sum).isCloseTo(lossPlain.reconstruction() + 0.5 * lossPlain.kl(), within(1e-9));

        // Weights (4/3, 4/3, 4/3, 0) give the gradient of the mean loss of the first three rows alone.
        float[] dropped = new float[p.length];
        float w = 4f / 3f;
        o.lossAndGradient(p, x, 0, n, eps, 0.5, dropped, ws, new float[] {w, w, w, 0}, 0, null, 0);
        float[] three = new float[p.length];
        o.lossAndGradient(p, x, 0, 3, eps, 0.5, three, o.workspace(3));
        for (int i = 0; i < p.length; i++) {
            assertThat(dropped[i]).isCloseTo(three[i], within(1e-5f + 1e-4f * Math.abs(three[i])));
        }
        assertThat(dropped).isNotEqualTo(plain);
    }

    @Test
    void givenBadTrimSettings_whenBuilt_thenTheErrorNamesTheValue() {
        assertThatThrownBy(() -> TrainingConfig.builder().trimFraction(0.5).build())
                .hasMessageContaining("trim fraction: 0.5");
        assertThatThrownBy(() -> TrainingConfig.builder().trimFraction(-0.1).build())
                .hasMessageContaining("trim fraction: -0.1");
        assertThatThrownBy(() -> TrainingConfig.builder().trimFraction(Double.NaN).build())
                .hasMessageContaining("trim fraction: NaN");
        assertThatThrownBy(() -> TrainingConfig.builder().trimWarmupEpochs(-1).build())
                .hasMessageContaining("trim warm-up: -1");
        TrainingConfig ok = TrainingConfig.builder().trimFraction(0.25).trimWarmupEpochs(0).build();
        assertThat(ok.trimFraction()).isEqualTo(0.25);
        assertThat(ok.toBuilder().build()).isEqualTo(ok);
    }
}
