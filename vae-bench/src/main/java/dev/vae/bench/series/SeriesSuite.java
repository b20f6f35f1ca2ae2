package dev.vae.bench.series;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.eval.VolumeUnderSurface;
import dev.vae.anomaly.series.StreamingDetector;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.anomaly.score.Scorer;
import dev.vae.bench.quality.Candidate;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The time-series benchmark (docs/series-benchmark.md): for each NAB series, a windowed model fitted on the whole
 * series without its labels, every point scored, and point-wise AUROC and AUPRC and VUS-PR against the labels,
 * beside the baselines of {@code NAB-BASELINES.md}.
 *
 * <p>Usage ({@code vae-bench/nab} runs it): {@code SeriesSuite [--shared DIR] [--candidates "defaults;e=30"]
 * [--rule end|center] [--stride S] [--series all|a,b] [--jobs 2] [--stream] [--csv FILE] [--scores-dir DIR]
 * [--from-scores DIR]}. One training per series and candidate evaluates every point rule (or the one of
 * {@code --rule}); {@code --stream} also replays the series through {@link StreamingDetector}; {@code --scores-dir}
 * keeps the point scores and {@code --from-scores} evaluates kept scores again without training.
 */
public final class SeriesSuite {

    /** One series' result for one candidate. */
    record Result(String candidate, String series, int window, int points, double auroc, double auprc, double vusPr,
                  double seconds, int epochs, @org.jspecify.annotations.Nullable StreamRun stream) {
    }

    /**
     * The series replayed as a stream with the model's own point rule: throughput and latency of
     * {@link StreamingDetector#accept} on one thread, whether every score equals the batch's bit for bit, and DSPOT's
     * false alarms on the normal points after calibration.
     */
    record StreamRun(double pointsPerSecond, double p50Micros, double p99Micros, boolean sameAsBatch,
                     double falseAlarmShare, boolean thresholdFinite) {
    }

    /** The stream's threshold and calibration (as {@code vae stream --threshold dspot:0.001 --calibration 1000}). */
    static final String STREAM_THRESHOLD = "dspot:0.001";
    static final int CALIBRATION = 1000;

    static StreamRun stream(VaeModel model, TimeSeries series, double[] batch, int[] labels) {
        StreamingDetector d = StreamingDetector.calibrating(new Scorer(model), ThresholdSpec.parse(STREAM_THRESHOLD),
                Math.min(CALIBRATION, series.observedPoints() / 4), model.threshold());
        long[] nanos = new long[series.observedPoints()];
        double[] scores = new double[batch.length];
        boolean[] flags = new boolean[batch.length];
        boolean finite = true;
        int p = 0;
        long total = System.nanoTime();
        List<StreamingDetector.ScoredPoint> out = new ArrayList<>();
        for (int t : series.observedGridIndex()) {
            float[] v = Arrays.copyOfRange(series.values(), t * series.width(), (t + 1) * series.width());
            long t0 = System.nanoTime();
            List<StreamingDetector.ScoredPoint> got = d.accept(series.times()[t], v);
            nanos[p++] = System.nanoTime() - t0;
            out.addAll(got);
        }
        out.addAll(d.finish());
        total = System.nanoTime() - total;
        int calibration = Math.min(CALIBRATION, series.observedPoints() / 4);
        long normals = 0;
        long alarms = 0;
        for (StreamingDetector.ScoredPoint sp : out) {
            int i = (int) sp.row();
            scores[i] = sp.score();
            flags[i] = sp.anomaly();
            if (i >= calibration) {
                finite &= Double.isFinite(sp.threshold());
                if (labels[i] == 0) {
                    normals++;
                    alarms += sp.anomaly() ? 1 : 0;
                }
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new StreamRun(p / (total / 1e9), sorted[sorted.length / 2] / 1e3, sorted[(int) (0.99 * (sorted.length - 1))] / 1e3,
                Arrays.equals(scores, batch), normals == 0 ? Double.NaN : (double) alarms / normals, finite);
    }

    /** Whether each series is also replayed as a stream ({@code --stream}). */
    private static volatile boolean streams;

    private SeriesSuite() {
    }

    /** Runs the benchmark; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Path shared = Path.of("../shared");
        String candidates = Candidate.DEFAULTS;
        PointRule rule = null;
        int stride = 1;
        String seriesList = "all";
        int jobs = 2;
        Path csv = null;
        Path scoresDir = null;
        Path fromScores = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--shared" -> shared = Path.of(v);
                case "--candidates" -> candidates = v;
                case "--rule" -> rule = PointRule.parse(v);
                case "--stride" -> stride = Integer.parseInt(v);
                case "--series" -> seriesList = v;
                case "--jobs" -> jobs = Integer.parseInt(v);
                case "--csv" -> csv = Path.of(v);
                case "--scores-dir" -> scoresDir = Path.of(v);
                case "--from-scores" -> fromScores = Path.of(v);
                case "--stream" -> {
                    streams = true;
                    i--;
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
            i++;
        }
        Path data = shared.resolve("data");
        NabBaselines baselines = NabBaselines.read(data.resolve("NAB-BASELINES.md"));
        if (fromScores != null) {
            List<Result> kept = fromScores(fromScores, data.resolve("nab"), baselines);
            for (Result x : kept) {
                System.out.printf(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.4f,%.4f%n", x.candidate(), x.series(), x.window(),
                        x.points(), x.auroc(), x.auprc(), x.vusPr());
            }
            summarise(kept, baselines);
            return;
        }
        List<String> names = seriesList.equals("all") ? new ArrayList<>(baselines.rows().keySet())
                : Arrays.asList(seriesList.split(","));
        List<Future<List<Result>>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        for (String spec : candidates.split(";")) {
            for (String name : names) {
                final PointRule r = rule;
                final int s = stride;
                final Path file = data.resolve("nab").resolve(name + ".csv");
                final int window = baselines.rows().get(name).window();
                final Path keep = scoresDir == null ? null
                        : scoresDir.resolve(spec.trim().replaceAll("[^A-Za-z0-9=.-]", "_") + "__" + name + ".scores");
                futures.add(pool.submit(() -> run(spec.trim(), name, file, window, r, s, keep)));
            }
        }
        List<Result> results = new ArrayList<>();
        try (PrintWriter out = csv == null ? null : new PrintWriter(Files.newBufferedWriter(csv))) {
            if (out != null) {
                out.println("candidate,series,window,points,auroc,auprc,vus_pr,seconds,epochs,stream_points_per_s,"
                        + "stream_p50_us,stream_p99_us,stream_same_as_batch,dspot_false_alarm_share,dspot_threshold_finite");
            }
            for (Future<List<Result>> f : futures) {
              for (Result x : f.get()) {
                results.add(x);
                StreamRun st = x.stream();
                String line = String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.4f,%.4f,%.1f,%d", x.candidate(), x.series(),
                        x.window(), x.points(), x.auroc(), x.auprc(), x.vusPr(), x.seconds(), x.epochs())
                        + (st == null ? ",,,,,," : String.format(Locale.ROOT, ",%.0f,%.2f,%.2f,%b,%.5f,%b", st.pointsPerSecond(),
                        st.p50Micros(), st.p99Micros(), st.sameAsBatch(), st.falseAlarmShare(), st.thresholdFinite()));
                System.out.println(line);
                if (out != null) {
                    out.println(line);
                    out.flush();
                }
              }
            }
        }
        pool.shutdown();
        summarise(results, baselines);
    }

    /** Trains once and evaluates the point scores of every rule ({@code rule} only when not null). */
    static List<Result> run(String spec, String name, Path file, int window, @org.jspecify.annotations.Nullable PointRule rule, int stride,
                      @org.jspecify.annotations.Nullable Path keepScores) throws IOException {
        TimeSeries series = TimeSeries.read(file, "timestamp", List.of("value"), "label", Set.of(), Double.NaN,
                window + PointRule.CENTER.delay(window));
        SeriesLayout layout = new SeriesLayout("timestamp", List.of("value"), window,
                TimeSeries.medianStep(series.times()), rule == null ? PointRule.END : rule);
        Table windows = Windows.table(series, layout, stride);
        Table unlabelled = new Table(windows.columns(), windows.values(), windows.rows(), null, windows.source());
        Candidate candidate = Candidate.parse(spec, layout.width());
        TrainingConfig config = candidate.members(0, unlabelled).get(0);
        long t0 = System.nanoTime();
        TrainingResult trained = new VaeTrainer(config).fit(unlabelled);
        double seconds = (System.nanoTime() - t0) / 1e9;
        VaeModel model = layout.attachTo(trained.model());
        Table all = stride == 1 ? windows : Windows.table(series, layout, 1);
        double[] windowScores = new Scorer(model).score(all.values(), all.rows());
        int[] labels = series.observedLabels();
        List<Result> out = new ArrayList<>();
        for (PointRule r : rule == null ? List.of(PointRule.values()) : List.of(rule)) {
            SeriesLayout l = new SeriesLayout(layout.timeColumn(), layout.valueColumns(), window, layout.interval(), r);
            double[] scores = Windows.pointScores(series, l, windowScores);
            if (keepScores != null) {
                Files.createDirectories(keepScores.getParent());
                StringBuilder b = new StringBuilder("score\n");
                for (double x : scores) {
                    b.append(x).append('\n');
                }
                Files.writeString(Path.of(keepScores + "." + r.id()), b);
            }
            Result x = evaluate(spec + "/rule=" + r.id(), name, window, scores, labels, seconds, trained.history().size());
            if (streams) {
                x = new Result(x.candidate(), x.series(), x.window(), x.points(), x.auroc(), x.auprc(), x.vusPr(),
                        x.seconds(), x.epochs(), stream(l.attachTo(trained.model()), series, scores, labels));
            }
            out.add(x);
        }
        return out;
    }

    /** Point-wise AUROC and AUPRC, and VUS-PR with the series' period as window and TSB-AD's 250 thresholds. */
    static Result evaluate(String candidate, String name, int window, double[] scores, int[] labels, double seconds,
                           int epochs) {
        double vus = VolumeUnderSurface.of(scores, labels, window, VolumeUnderSurface.Thresholds.TSB_AD).vusPr();
        return new Result(candidate, name, window, scores.length, RankingMetrics.auroc(scores, labels),
                RankingMetrics.averagePrecision(scores, labels), vus, seconds, epochs, null);
    }

    /** Metrics of scores kept by an earlier run ({@code --scores-dir}), one file per candidate, series and rule. */
    static List<Result> fromScores(Path dir, Path nab, NabBaselines baselines) throws IOException {
        List<Result> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                int cut = file.indexOf("__");
                int dot = file.lastIndexOf(".scores.");
                if (cut < 0 || dot < 0) {
                    continue;
                }
                String name = file.substring(cut + 2, dot);
                List<String> lines = Files.readAllLines(f);
                double[] scores = new double[lines.size() - 1];
                for (int i = 1; i < lines.size(); i++) {
                    scores[i - 1] = Double.parseDouble(lines.get(i));
                }
                TimeSeries series = TimeSeries.read(nab.resolve(name + ".csv"), "timestamp", List.of("value"), "label",
                        Set.of(), Double.NaN, TimeSeries.WHOLE_GAPS);
                out.add(evaluate(file.substring(0, cut) + "/rule=" + file.substring(dot + 8), name,
                        baselines.rows().get(name).window(), scores, series.observedLabels(), Double.NaN, 0));
            }
        }
        return out;
    }

    private static void summarise(List<Result> results, NabBaselines baselines) {
        System.out.println();
        System.out.println("| candidate | series | AUROC | AUPRC | VUS-PR | seconds |");
        System.out.println("|---|---|---|---|---|---|");
        java.util.Map<String, double[]> sums = new java.util.LinkedHashMap<>();
        for (Result r : results) {
            double[] s = sums.computeIfAbsent(r.candidate(), k -> new double[5]);
            s[0] += r.auroc();
            s[1] += r.auprc();
            s[2] += r.vusPr();
            s[3] += r.seconds();
            s[4]++;
        }
        sums.forEach((k, s) -> System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.0f |%n", k, (int) s[4],
                s[0] / s[4], s[1] / s[4], s[2] / s[4], s[3]));
        List<StreamRun> runs = results.stream().map(Result::stream).filter(java.util.Objects::nonNull).toList();
        if (!runs.isEmpty()) {
            double[] pps = runs.stream().mapToDouble(StreamRun::pointsPerSecond).sorted().toArray();
            double[] p50 = runs.stream().mapToDouble(StreamRun::p50Micros).sorted().toArray();
            double[] p99 = runs.stream().mapToDouble(StreamRun::p99Micros).sorted().toArray();
            double[] fa = runs.stream().mapToDouble(StreamRun::falseAlarmShare).filter(Double::isFinite).sorted().toArray();
            System.out.printf(Locale.ROOT, "%nstreams: %d; same scores as the batch: %d; DSPOT threshold finite after"
                    + " calibration: %d; points/s median %.0f (min %.0f); p50 latency median %.1f us, p99 median %.1f us"
                    + " (max %.1f); DSPOT false-alarm share on normal points: mean %.5f, median %.5f, max %.5f%n",
                    runs.size(), runs.stream().filter(StreamRun::sameAsBatch).count(),
                    runs.stream().filter(StreamRun::thresholdFinite).count(), pps[pps.length / 2], pps[0],
                    p50[p50.length / 2], p99[p99.length / 2], p99[p99.length - 1],
                    java.util.Arrays.stream(fa).average().orElse(Double.NaN), fa.length == 0 ? Double.NaN : fa[fa.length / 2],
                    fa.length == 0 ? Double.NaN : fa[fa.length - 1]);
        }
    }
}
