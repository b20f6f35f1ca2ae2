package dev.vae.cli;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.train.data.CsvOptions;
import dev.vae.train.data.CsvReader;
import dev.vae.train.data.Table;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae demo}: the main job on the Statlog Shuttle data set embedded in the jar. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a VAE on the embedded Statlog Shuttle data (70% of the rows, labels unused), score the "
                + "other 30% and report how well the scores separate the anomalies.")
final class DemoCommand implements Callable<Integer> {

    static final String DATASET = "/datasets/shuttle.csv.gz";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of the split and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "demo-output", paramLabel = "DIR", description = "Folder for the pictures (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path outDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Table all;
        try (InputStream in = DemoCommand.class.getResourceAsStream(DATASET)) {
            if (in == null) {
                throw new IllegalStateException("The embedded data set " + DATASET + " is missing from the jar");
            }
            all = CsvReader.open(in, "shuttle.csv.gz (embedded)", CsvOptions.withLabel("label", Set.of())).readAll();
        }
        Split split = Split.stratified(all, 0.7, seed);
        out.printf(Locale.ROOT, "Statlog Shuttle: %d rows x %d features, %d anomalies (%.1f%%)%n", all.rows(), all.width(),
                count(all.labels()), 100.0 * count(all.labels()) / all.rows());
        out.printf(Locale.ROOT, "Training on %d rows (labels unused), testing on %d rows.%n", split.train.rows(), split.test.rows());
        out.flush();
        TrainingResult result = new VaeTrainer(TrainingConfig.defaults().withSeed(seed)).fit(split.train);
        VaeModel model = result.model();
        out.printf(Locale.ROOT, "Model: %s, %d epochs (%s)%n", model.architecture().describe(), result.history().size(),
                result.stopReason());
        double[] scores = new Scorer(model).score(split.test.values(), split.test.rows());
        out.printf(Locale.ROOT, "Test AUROC %.4f, AUPRC %.4f (score: negative ELBO in nats, higher = more anomalous)%n",
                RankingMetrics.auroc(scores, split.test.labels()), RankingMetrics.averagePrecision(scores, split.test.labels()));
        java.nio.file.Files.createDirectories(outDir);
        dev.vae.cli.report.Charts.trainingCurve(result.history(), outDir.resolve("training-curve.png"));
        dev.vae.cli.report.Charts.scoreHistogram(scores, split.test.labels(), null, outDir.resolve("score-histogram.png"));
        dev.vae.cli.report.Curves curves = dev.vae.cli.report.Curves.of(scores, split.test.labels());
        dev.vae.cli.report.Charts.roc(curves, RankingMetrics.auroc(scores, split.test.labels()), outDir.resolve("roc.png"));
        dev.vae.cli.report.Charts.precisionRecall(curves, RankingMetrics.averagePrecision(scores, split.test.labels()),
                (double) count(split.test.labels()) / split.test.rows(), outDir.resolve("precision-recall.png"));
        out.printf(Locale.ROOT, "Pictures in %s/%n", outDir);
        out.printf(Locale.ROOT, "Done in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
        return 0;
    }

    private static int count(int[] labels) {
        int c = 0;
        for (int l : labels) {
            if (l != 0) {
                c++;
            }
        }
        return c;
    }

    /** A seeded split that keeps the share of anomalies equal in both parts. */
    record Split(Table train, Table test) {
        static Split stratified(Table t, double trainShare, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int cls = 0; cls <= 1; cls++) {
                List<Integer> rows = new ArrayList<>();
                for (int i = 0; i < t.rows(); i++) {
                    if ((t.labels()[i] != 0 ? 1 : 0) == cls) {
                        rows.add(i);
                    }
                }
                for (int i = rows.size() - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    Integer tmp = rows.get(i);
                    rows.set(i, rows.get(j));
                    rows.set(j, tmp);
                }
                int cut = (int) Math.round(rows.size() * trainShare);
                train.addAll(rows.subList(0, cut));
                test.addAll(rows.subList(cut, rows.size()));
            }
            return new Split(t.select(train.stream().sorted().mapToInt(Integer::intValue).toArray()),
                    t.select(test.stream().sorted().mapToInt(Integer::intValue).toArray()));
        }
    }
}
