package dev.vae.anomaly.bench;

import dev.vae.anomaly.eval.ConfusionCounts;
import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.Threshold;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.train.data.CsvOptions;
import dev.vae.train.data.CsvReader;
import dev.vae.train.data.StratifiedSplit;
import dev.vae.train.data.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The "defaults that win" protocol (issue 4): for each tabular set, 5 seeds of a 70/30 stratified split; train
 * on the training part without its labels (anomalies included, as in ADBench); score the test part; report the
 * mean and standard deviation of the test AUROC per candidate and score. No per-set tuning: every candidate is
 * one fixed recipe applied to every set.
 *
 * <p>Run (after {@code mvn -o -pl vae-anomaly -am test-compile}) with
 * {@code java -cp <test classes:classes:deps> dev.vae.anomaly.bench.DefaultsBenchmark [candidates] [sets] [seeds]
 * [thresholds]} where candidates and sets are comma lists, e.g. {@code gauss,fixed shuttle,pima 5 thresholds};
 * {@code thresholds} adds the test F1 of threshold strategies fitted on the trainer's (unlabelled) validation split.
 */
public final class DefaultsBenchmark {

    /** Published AUROC of PyOD's VAE and Isolation Forest (shared/data/README.md). */
    static final Map<String, double[]> PUBLISHED = Map.of(
            "shuttle", new double[] {0.990, 0.997},
            "satimage-2", new double[] {0.985, 0.993},
            "ionosphere", new double[] {0.786, 0.833},
            "pima", new double[] {0.670, 0.674},
            "breastw", new double[] {0.928, 0.983});

    private DefaultsBenchmark() {
    }

    /** One training recipe. */
    record Candidate(String name, TrainingConfig config) {
    }

    static Map<String, Candidate> candidates() {
        Map<String, Candidate> c = new LinkedHashMap<>();
        Likelihood gauss = LearnedVarianceGaussian.INSTANCE;
        Likelihood fixed = FixedVarianceGaussian.unit();
        c.put("gauss", candidate("gauss", List.of(), 0, gauss, 50, 10, 128, 1e-3));
        c.put("fixed", candidate("fixed", List.of(), 0, fixed, 50, 10, 128, 1e-3));
        c.put("gauss-wide", candidate("gauss-wide", List.of(64, 32), 0, gauss, 50, 10, 128, 1e-3));
        c.put("fixed-wide", candidate("fixed-wide", List.of(64, 32), 0, fixed, 50, 10, 128, 1e-3));
        c.put("g300", candidate("g300", List.of(), 0, gauss, 300, 20, 128, 1e-3));
        c.put("gb32", candidate("gb32", List.of(), 0, gauss, 100, 10, 32, 1e-3));
        c.put("gw300", candidate("gw300", List.of(64, 32), 0, gauss, 300, 20, 128, 1e-3));
        c.put("f300", candidate("f300", List.of(), 0, fixed, 300, 20, 128, 1e-3));
        c.put("g100", candidate("g100", List.of(), 0, gauss, 100, 10, 128, 1e-3));
        c.put("f100", candidate("f100", List.of(), 0, fixed, 100, 10, 128, 1e-3));
        c.put("gb32-300", candidate("gb32-300", List.of(), 0, gauss, 300, 20, 32, 1e-3));
        return c;
    }

    static Candidate candidate(String name, List<Integer> hidden, int latent, Likelihood lik, int epochs, int patience,
                               int batch, double lr) {
        TrainingConfig cfg = TrainingConfig.builder().hidden(hidden).latent(latent).likelihood(lik)
                .modelType(ModelType.VAE).activation(Activation.RELU).epochs(epochs).batchSize(batch).learningRate(lr)
                .beta(1.0).seed(42L).validationFraction(0.1).patience(patience).build();
        return new Candidate(name, cfg);
    }

    /**
     * A candidate from a compact spec such as {@code lik=gaussian-fixed:0.25/h=2/k=4/e=100/p=10/b=128/lr=0.001/a=relu}:
     * h = hidden width as a multiple of d (clamped to 16..512), k = latent as d / k (clamped to 2..32); omitted
     * keys keep the library's defaults.
     */
    static Candidate parse(String spec, int d) {
        TrainingConfig def = TrainingConfig.defaults();
        Likelihood lik = LearnedVarianceGaussian.INSTANCE;
        List<Integer> hidden = List.of();
        int latent = 0;
        int epochs = def.epochs();
        int patience = def.patience();
        int batch = def.batchSize();
        double lr = def.learningRate();
        Activation act = Activation.RELU;
        for (String kv : spec.split("/")) {
            String[] p = kv.split("=", 2);
            switch (p[0]) {
                case "lik" -> lik = dev.vae.core.likelihood.Likelihoods.parse(p[1]);
                case "h" -> hidden = List.of(Math.max(16, Math.min(512, (int) Math.round(Double.parseDouble(p[1]) * d))));
                case "h2" -> {
                    int h = Math.max(16, Math.min(512, (int) Math.round(Double.parseDouble(p[1]) * d)));
                    hidden = List.of(h, Math.max(8, h / 2));
                }
                case "k" -> latent = Math.max(2, Math.min(32, (int) (d / Double.parseDouble(p[1]))));
                case "e" -> epochs = Integer.parseInt(p[1]);
                case "p" -> patience = Integer.parseInt(p[1]);
                case "b" -> batch = Integer.parseInt(p[1]);
                case "lr" -> lr = Double.parseDouble(p[1]);
                case "a" -> act = Activation.valueOf(p[1].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("Unknown candidate key '" + p[0] + "' in " + spec);
            }
        }
        return new Candidate(spec, TrainingConfig.builder().hidden(hidden).latent(latent).likelihood(lik)
                .modelType(ModelType.VAE).activation(act).epochs(epochs).batchSize(batch).learningRate(lr).beta(1.0)
                .seed(42L).validationFraction(def.validationFraction()).patience(patience).threads(1).build());
    }

    static final List<ScoreSettings> SCORES = List.of(
            new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0),
            new ScoreSettings(ScoreKind.RECONSTRUCTION, 0),
            new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 10),
            new ScoreSettings(ScoreKind.IWAE, 10));

    /** Threshold strategies whose test F1 the benchmark reports when asked (fitted on the unlabelled validation split). */
    static final List<String> THRESHOLDS = List.of("contamination:0.05", "contamination:0.1", "quantile:0.99", "sigma:3",
            "pot:0.01:0.9");

    /** Runs the protocol and prints one line per run and a summary table (markdown). */
    public static void main(String[] args) throws IOException {
        List<String> names = List.of((args.length > 0 ? args[0] : "gauss,fixed").split(","));
        List<String> sets = List.of((args.length > 1 ? args[1] : "ionosphere,pima,breastw,satimage-2,shuttle").split(","));
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        boolean thresholds = args.length > 3 && args[3].equals("thresholds");
        Map<String, Candidate> all = candidates();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (String set : sets) {
            Table table = CsvReader.read(SharedData.path("data/" + set + "/" + set + ".csv"),
                    CsvOptions.withLabel("label", Set.of()));
            for (String name : names) {
                Candidate c = all.containsKey(name) ? all.get(name) : parse(name, table.width());
                for (int seed = 0; seed < seeds; seed++) {
                    StratifiedSplit split = StratifiedSplit.of(table, 0.7, 1000L + seed);
                    Table train = split.train();
                    Table unlabelled = new Table(train.columns(), train.values(), train.rows(), null, train.source());
                    Table test = split.test();
                    long t0 = System.nanoTime();
                    TrainingResult r = new VaeTrainer(c.config().withSeed(seed)).fit(unlabelled);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    VaeModel model = r.model();
                    for (ScoreSettings s : SCORES) {
                        double[] scores = new Scorer(model, s).score(test.values(), test.rows());
                        double auc = RankingMetrics.auroc(scores, test.labels());
                        String key = set + "|" + name + "|" + s.kind().id() + "/" + s.samples();
                        results.computeIfAbsent(key, k -> new ArrayList<>()).add(auc);
                        System.out.printf(Locale.ROOT, "%s seed %d: auroc %.4f (epochs %d, best %d, %.1fs, %s)%n", key,
                                seed, auc, r.history().size(), r.bestEpoch(), secs, model.architecture().describe());
                    }
                    if (thresholds) {
                        Scorer scorer = new Scorer(model);
                        double[] scores = scorer.score(test.values(), test.rows());
                        for (String spec : THRESHOLDS) {
                            double f1;
                            try {
                                Threshold t = DetectorFitting.fit(scorer, r.validation(), ThresholdSpec.parse(spec));
                                f1 = ConfusionCounts.at(scores, test.labels(), t.value()).f1();
                            } catch (IllegalArgumentException e) {
                                f1 = Double.NaN;
                            }
                            String key = set + "|" + name + "|f1@" + spec;
                            results.computeIfAbsent(key, k -> new ArrayList<>()).add(f1);
                            System.out.printf(Locale.ROOT, "%s seed %d: f1 %.4f%n", key, seed, f1);
                        }
                    }
                    System.out.flush();
                }
            }
        }
        System.out.println();
        System.out.println("| set | candidate | score | mean AUROC | sd | min | PyOD VAE | IForest |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            String[] k = e.getKey().split("\\|");
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1));
            double[] pub = PUBLISHED.getOrDefault(k[0], new double[] {Double.NaN, Double.NaN});
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f | %.4f | %.3f | %.3f |%n", k[0], k[1], k[2], mean, sd,
                    Arrays.stream(v).min().orElse(Double.NaN), pub[0], pub[1]);
        }
    }
}
