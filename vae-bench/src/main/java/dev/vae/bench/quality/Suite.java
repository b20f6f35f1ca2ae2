package dev.vae.bench.quality;

import dev.vae.bench.LongOptions;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The detection-quality suite (SPEC section 11, issue 17): every candidate on every tabular set and seed of the
 * folds files, beside the eight label-free baselines; optionally the one-class protocol on Fashion-MNIST and on
 * MNIST, a held-out image kind ({@link ImageSet}).
 *
 * <pre>
 * vae-bench/suite [--candidates "defaults;lik=gaussian/trim=0"] [--sets all|held-out|all+held-out|none|spam,cells]
 *                 [--seeds 5] [--jobs 2] [--images [fashion|mnist|fashion,mnist]] [--classes 0-9|0,1]
 *                 [--image-epochs N] [--shared ../shared] [--heldout vae-bench/heldout] [--csv results.csv]
 *                 [--from-csv saved.csv[,more.csv]]   (report saved runs, e.g. to compare candidates run apart)
 * </pre>
 *
 * {@code --images} alone is Fashion-MNIST (with {@code --from-csv}: the image sets the saved runs hold); giving
 * {@code --classes} implies it.
 *
 * Each (candidate, set, seed) is one job: the trainer's seed is the fold seed (s0 = 0, ...), it trains with one
 * thread, and {@code --jobs} jobs (default 2, one a core) run at a time. Jobs share nothing mutable, so the results
 * do not depend on their order; only the training seconds feel the neighbour job. docs/quality-suite.md.
 */
public final class Suite {

    /**
     * The selection half: the five sets earlier defaults were chosen on, and two of the new ones. Choices are made on
     * these; the {@link #CONFIRMATION} half confirms them (SPEC section 11). Fixed here so that it cannot drift.
     */
    public static final List<String> SELECTION = List.of("shuttle", "satimage-2", "ionosphere", "pima", "breastw",
            "spam", "vehicle");

    /** The confirmation half: sets no choice of defaults has looked at. */
    public static final List<String> CONFIRMATION = List.of("cells", "sonar", "hpc", "churn", "pd_speech", "haberman");

    /** All thirteen tabular sets, selection half first. */
    public static final List<String> ALL = Stream.concat(SELECTION.stream(), CONFIRMATION.stream()).toList();

    /**
     * Held-out sets of the kinds the suite holds (SPEC section 11), outside the thirteen: their files are in
     * {@code vae-bench/heldout/}, not in the shared folder. No default was chosen on them before session 10.
     */
    public static final List<String> HELD_OUT = List.of("digits", "wbc", "wine");

    private Suite() {
    }

    /** {@code selection}, {@code confirmation} or {@code held-out} ({@link #HELD_OUT}); {@code other} for any other set. */
    public static String half(String set) {
        return SELECTION.contains(set) ? "selection" : CONFIRMATION.contains(set) ? "confirmation"
                : HELD_OUT.contains(set) ? "held-out" : "other";
    }

    /**
     * Parses {@code --sets}: {@code all} (the thirteen, {@link #ALL}), {@code held-out} ({@link #HELD_OUT}),
     * {@code all+held-out} (the sixteen), {@code none}, or a comma list of any of the sixteen.
     *
     * @throws IllegalArgumentException naming a set that is none of the sixteen, or one named twice
     */
    static List<String> sets(String text) {
        return switch (text.trim()) {
            case "all" -> ALL;
            case "held-out" -> HELD_OUT;
            case "all+held-out" -> Stream.concat(ALL.stream(), HELD_OUT.stream()).toList();
            case "none" -> List.of();
            default -> {
                List<String> out = new ArrayList<>();
                for (String part : text.split(",")) {
                    String set = part.trim();
                    if (!ALL.contains(set) && !HELD_OUT.contains(set)) {
                        throw new IllegalArgumentException("Unknown set '" + set + "' in --sets " + text + " (expected"
                                + " all, held-out, all+held-out, none or a comma list of " + String.join(", ", ALL)
                                + ", " + String.join(", ", HELD_OUT) + ")");
                    }
                    if (out.contains(set)) {
                        throw new IllegalArgumentException("Set '" + set + "' named twice in --sets " + text);
                    }
                    out.add(set);
                }
                yield List.copyOf(out);
            }
        };
    }

    /**
     * What to run.
     *
     * @param candidates   candidate specs ({@link Candidate#parse})
     * @param sets         tabular sets (may be empty)
     * @param seeds        fold seeds per set, s0..s(seeds-1)
     * @param jobs         jobs at a time
     * @param images       the image sets of the one-class protocol, each run on every class of {@code classes}
     *                     (empty = no images)
     * @param classes      their normal classes (empty exactly when {@code images} is)
     * @param imageEpochs  maximum epochs of the image models (0 = the candidate's own)
     * @param shared       the shared folder (holding {@code data/})
     * @param heldOut      the folder of the {@link #HELD_OUT} sets and their {@code baselines.csv}, and of the
     *                     held-out image sets' baselines
     */
    public record Plan(List<String> candidates, List<String> sets, int seeds, int jobs, List<ImageSet> images,
                       List<Integer> classes, int imageEpochs, Path shared, Path heldOut) {

        /** Validates the plan. */
        public Plan {
            candidates = List.copyOf(candidates);
            sets = List.copyOf(sets);
            images = List.copyOf(images);
            classes = List.copyOf(classes);
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("No candidates given");
            }
            if (seeds < 1 || seeds > 5) {
                throw new IllegalArgumentException("Invalid --seeds: " + seeds + " (the folds files hold 5)");
            }
            if (jobs < 1) {
                throw new IllegalArgumentException("Invalid --jobs: " + jobs);
            }
            if (images.isEmpty() != classes.isEmpty() || images.size() != Set.copyOf(images).size()) {
                throw new IllegalArgumentException("Invalid images " + images + " with classes " + classes
                        + " (expected distinct image sets and classes, both or neither)");
            }
            for (int k : classes) {
                if (k < 0 || k > 9) {
                    throw new IllegalArgumentException("Invalid image class: " + k + " (expected 0..9)");
                }
            }
            if (imageEpochs < 0) {
                throw new IllegalArgumentException("Invalid --image-epochs: " + imageEpochs);
            }
        }

        /** The folder holding {@code set.csv} and {@code set.folds.csv}: the held-out folder or shared's {@code data/}. */
        public Path folder(String set) {
            return HELD_OUT.contains(set) ? heldOut.resolve(set) : shared.resolve("data").resolve(set);
        }

        /** The folder of {@code images}' train and test files: shared's {@code data/<prefix>}. */
        public Path imageFolder(ImageSet images) {
            return shared.resolve("data").resolve(images.prefix());
        }

        /**
         * The baselines file of {@code images}: in the held-out folder for a held-out kind (as the held-out tabular
         * sets' {@code baselines.csv}), else in shared's {@code data/}.
         */
        public Path imageBaselines(ImageSet images) {
            return (images.heldOut() ? heldOut : shared.resolve("data")).resolve(images.baselinesFile());
        }
    }

    /**
     * Entry point; see the class documentation for the options.
     *
     * @throws Exception when a data file is missing or a run fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = LongOptions.parse(args);
        List<RunResult> saved = new ArrayList<>();
        if (o.containsKey("from-csv")) {
            for (String f : o.get("from-csv").split(",")) {
                saved.addAll(RunResult.readCsv(Paths.get(f)));
            }
        }
        Plan plan = plan(o, saved);
        PrintStream out = System.out;
        // Results are bit-identical for a given seed, thread count and kernel backend: the backend is part of the record.
        out.printf(Locale.ROOT, "# Quality suite, %s%n%nCommand: `Suite %s`; Java %s, kernels %s, %d cores, %d job%s at a"
                        + " time, one trainer thread a job; trainer seed = fold seed.%n%n", LocalDate.now(),
                String.join(" ", args), Runtime.version(), Kernels.best().name(), Runtime.getRuntime().availableProcessors(),
                plan.jobs(), plan.jobs() == 1 ? "" : "s");
        // --from-csv reports saved runs instead of training them again.
        List<RunResult> runs;
        try {
            runs = saved.isEmpty() ? run(plan, System.err) : ofPlan(plan, saved);
        } catch (PartialRuns e) {
            throw e.saveFinished(o.get("csv"), System.err);
        }
        if (!plan.sets().isEmpty()) {
            out.println(tabularReport(plan, runs, tabularBaselines(plan)));
        }
        for (ImageSet images : plan.images()) {
            out.println(imageReport(plan, images, runs, Baselines.read(plan.imageBaselines(images))));
        }
        if (o.containsKey("csv")) {
            RunResult.writeCsv(Paths.get(o.get("csv")), runs);
            out.println("Every run: " + o.get("csv"));
        }
    }

    /**
     * The plan of parsed options ({@link #main}). {@code saved}, the runs {@code --from-csv} read (empty without it),
     * supplies what {@code --candidates} and a bare {@code --images} leave open: their candidates and image sets.
     *
     * @throws IllegalArgumentException naming an unknown option or a bad value
     */
    static Plan plan(Map<String, String> o, List<RunResult> saved) {
        Set<String> known = Set.of("candidates", "sets", "seeds", "jobs", "images", "classes", "image-epochs", "shared",
                "heldout", "csv", "from-csv");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("Unknown option --" + k + " (expected one of " + known + ")");
            }
        }
        String candidates = o.containsKey("candidates") || saved.isEmpty()
                ? o.getOrDefault("candidates", Candidate.DEFAULTS) : String.join(";", saved.stream().map(RunResult::candidate).distinct().toList());
        // --classes alone implies --images, as before MNIST was added.
        String images = o.getOrDefault("images", o.containsKey("classes") ? "true" : null);
        List<ImageSet> savedImages = java.util.Arrays.stream(ImageSet.values())
                .filter(s -> saved.stream().anyMatch(r -> s.classOf(r.set()) >= 0)).toList();
        return new Plan(
                List.of(candidates.split(";")),
                sets(o.getOrDefault("sets", "all")),
                Integer.parseInt(o.getOrDefault("seeds", "5")),
                Integer.parseInt(o.getOrDefault("jobs", "2")),
                images == null ? List.of() : images.equals("true") && !savedImages.isEmpty() ? savedImages
                        : ImageSet.parse(images),
                images == null ? List.of() : classes(o.getOrDefault("classes", "0-9")),
                Integer.parseInt(o.getOrDefault("image-epochs", "0")),
                o.containsKey("shared") ? Paths.get(o.get("shared")) : sharedRoot(),
                o.containsKey("heldout") ? Paths.get(o.get("heldout")) : heldOutRoot());
    }

    /**
     * The runs of {@code runs} that the plan asks for: its candidates' runs on its tabular sets, and on its image sets'
     * classes (what {@code --from-csv} reports of the saved runs).
     */
    static List<RunResult> ofPlan(Plan plan, List<RunResult> runs) {
        return runs.stream().filter(r -> {
            ImageSet images = ImageSet.ofRun(r.set());
            return plan.candidates().contains(r.candidate()) && (images == null ? plan.sets().contains(r.set())
                    : plan.images().contains(images) && plan.classes().contains(images.classOf(r.set())));
        }).toList();
    }

    /** Parses {@code 0-9}, {@code 3} or {@code 0,1,5}. */
    static List<Integer> classes(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] r = part.trim().split("-");
            int from = Integer.parseInt(r[0].trim());
            int to = r.length > 1 ? Integer.parseInt(r[1].trim()) : from;
            for (int k = from; k <= to; k++) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Runs every job of the plan, {@link Plan#jobs()} at a time, and returns the results in the order of the jobs,
     * whatever order they finished in: tabular sets (plan order), each by candidate and seed, then the image sets
     * (plan order), each by candidate and class.
     *
     * @param progress where a line per finished run goes
     * @throws IOException when a data file cannot be read
     */
    public static List<RunResult> run(Plan plan, PrintStream progress) throws IOException, InterruptedException {
        record Job(String candidate, String set, int seed, Table train, Table test) {
        }
        List<Job> jobs = new ArrayList<>();
        for (String set : plan.sets()) {
            SetData data = readSet(plan, set);
            for (String c : plan.candidates()) {
                for (int s = 0; s < plan.seeds(); s++) {
                    jobs.add(new Job(c, set, s, data.train(s), data.test(s)));
                }
            }
        }
        for (ImageSet images : plan.images()) {
            Path dir = plan.imageFolder(images);
            CsvOptions labelled = CsvOptions.withLabel(images.labelColumn(), Set.of());
            Table train = pixels(CsvReader.read(dir.resolve(images.prefix() + "_train.csv.gz"), labelled));
            Table test = pixels(CsvReader.read(dir.resolve(images.prefix() + "_test.csv.gz"), labelled));
            for (String c : plan.candidates()) {
                for (int k : plan.classes()) {
                    jobs.add(new Job(c, images.run(k), 0, oneClass(train, k), oneVsRest(test, k)));
                }
            }
        }
        warmUp(plan, jobs.isEmpty() ? null : jobs.get(0).train(), jobs.isEmpty() ? null : jobs.get(0).test());
        AtomicInteger done = new AtomicInteger();
        List<Callable<RunResult>> runs = new ArrayList<>();
        for (Job j : jobs) {
            runs.add(() -> {
                Candidate c = Candidate.parse(j.candidate(), j.train().width());
                if (ImageSet.ofRun(j.set()) != null && plan.imageEpochs() > 0) {
                    c = c.withEpochs(plan.imageEpochs());
                }
                RunResult r = Protocol.run(c, j.set(), j.train(), j.test(), j.seed());
                progress.printf(Locale.ROOT, "[%d/%d] %s | %s s%d: AUROC %.4f AUPRC %.4f, default threshold F1 %.3f"
                                + " (%d epochs, kept %d, %.1f s)%n", done.incrementAndGet(), jobs.size(),
                        r.candidate(), r.set(), r.seed(), r.auroc(), r.auprc(), r.f1(), r.epochs(), r.bestEpoch(),
                        r.trainSeconds());
                return r;
            });
        }
        // In submission order (candidate, set, seed): the finishing order never shows.
        return inOrder(runs, plan.jobs(), "suite");
    }

    /** One tabular set's rows and its folds, read from its folder. */
    record SetData(Table data, Folds folds) {

        /** The training rows of fold seed s. */
        Table train(int s) {
            return data.select(folds.train(s));
        }

        /** The test rows of fold seed s. */
        Table test(int s) {
            return data.select(folds.test(s));
        }
    }

    /**
     * Reads {@code set} from its folder ({@link Plan#folder}): the data with its {@code label} column and the folds.
     *
     * @throws IllegalArgumentException when the folds file's rows do not match the data's
     */
    static SetData readSet(Plan plan, String set) throws IOException {
        Path dir = plan.folder(set);
        Table data = CsvReader.read(dir.resolve(set + ".csv"), CsvOptions.withLabel("label", Set.of()));
        Folds folds = Folds.read(dir.resolve(set + ".folds.csv"));
        if (folds.rows() != data.rows()) {
            throw new IllegalArgumentException(set + ": the folds file has " + folds.rows() + " rows, the data "
                    + data.rows());
        }
        return new SetData(data, folds);
    }

    /**
     * Runs {@code jobs}, {@code threads} at a time, and returns their results in the jobs' order whatever order they
     * finished in. A job that fails does not stop the others: every job runs, and then the failure is thrown with the
     * results of the jobs that finished, so that hours of runs are not lost to one (e.g. a candidate that diverges on
     * one set).
     *
     * @throws PartialRuns naming {@code what}, the first failure and how many failed, when a job fails
     */
    static <T> List<T> inOrder(List<? extends Callable<T>> jobs, int threads, String what)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<T> results = new ArrayList<>();
            Throwable first = null;
            int failed = 0;
            for (Future<T> f : pool.invokeAll(jobs)) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    failed++;
                    first = first == null ? e.getCause() : first;
                }
            }
            if (first != null) {
                throw new PartialRuns("A " + what + " run failed (" + failed + " of " + jobs.size() + "): " + first,
                        first, results);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Some runs failed; {@link #finished()} holds the results of the others, in the jobs' order (each a
     * {@link RunResult}, or a list of them for tools that return several per job).
     */
    static final class PartialRuns extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient List<?> finished;

        PartialRuns(String message, Throwable cause, List<?> finished) {
            super(message, cause);
            this.finished = List.copyOf(finished);
        }

        /** The finished runs, flattened. */
        List<RunResult> finished() {
            List<RunResult> out = new ArrayList<>();
            for (Object o : finished) {
                if (o instanceof RunResult r) {
                    out.add(r);
                } else {
                    for (Object r : (List<?>) o) {
                        out.add((RunResult) r);
                    }
                }
            }
            return out;
        }

        /**
         * Writes the finished runs to {@code csv} when one was asked for (null: none), says so on {@code err}, and
         * returns this exception to be thrown.
         */
        PartialRuns saveFinished(@Nullable String csv, PrintStream err) throws IOException {
            if (csv != null) {
                List<RunResult> runs = finished();
                RunResult.writeCsv(Paths.get(csv), runs);
                err.println(runs.size() + " finished runs are in " + csv + " (report them with Suite --from-csv)");
            }
            return this;
        }
    }

    /**
     * Trains each candidate briefly, untimed, on a few hundred rows of the first job, so that the JIT's warm-up is
     * not charged to whichever runs come first (it made them look several times slower than the later ones).
     */
    private static void warmUp(Plan plan, @Nullable Table train, @Nullable Table test) {
        if (train == null || test == null) {
            return;
        }
        Table small = train.select(java.util.stream.IntStream.range(0, Math.min(500, train.rows())).toArray());
        for (String spec : plan.candidates()) {
            Candidate c = Candidate.parse(spec, small.width());
            Protocol.run(c.withEpochs(5), "warm-up", small, test, 0);
        }
    }

    /**
     * The baselines of the plan's tabular sets in one: shared's {@code data/baselines.csv} when the plan has one of
     * the thirteen, merged with the held-out folder's {@code baselines.csv} when it has a held-out set (so neither
     * folder is needed without its sets).
     *
     * @throws IOException when a needed file cannot be read
     */
    static Baselines tabularBaselines(Plan plan) throws IOException {
        Baselines out = new Baselines(Map.of());
        if (plan.sets().stream().anyMatch(s -> !HELD_OUT.contains(s))) {
            out = out.merge(Baselines.read(plan.shared().resolve("data/baselines.csv")));
        }
        if (plan.sets().stream().anyMatch(HELD_OUT::contains)) {
            out = out.merge(Baselines.read(plan.heldOut().resolve("baselines.csv")));
        }
        return out;
    }

    /** The markdown report of the tabular runs: one table per candidate. */
    public static String tabularReport(Plan plan, List<RunResult> runs, Baselines baselines) {
        StringBuilder b = new StringBuilder("## Tabular sets\n\n");
        Map<String, Double> defaultSeconds = null;
        for (String c : plan.candidates()) {
            if (Candidate.isDefaults(c) && plan.candidates().size() > 1) {
                defaultSeconds = new LinkedHashMap<>();
                for (SetSummary s : Report.summarise(of(runs, c), plan.sets(), baselines)) {
                    defaultSeconds.put(s.set(), s.trainSeconds());
                }
            }
        }
        Map<String, List<SetSummary>> bySet = new LinkedHashMap<>();
        for (String c : plan.candidates()) {
            List<SetSummary> sets = Report.summarise(of(runs, c), plan.sets(), baselines);
            bySet.put(c, sets);
            b.append(Report.table(c, sets, Candidate.isDefaults(c) ? null : defaultSeconds)).append('\n');
        }
        return b.append(Report.leaveOneSetOut(bySet)).toString();
    }

    /**
     * The markdown report of one image set's one-class runs, one table per candidate, each class beside the set's
     * own baselines ({@link Plan#imageBaselines}), which the section names.
     *
     * @param baselines the contents of {@code images}' baselines file, keyed by class
     */
    public static String imageReport(Plan plan, ImageSet images, List<RunResult> runs, Baselines baselines) {
        // The methods the file has, in a fixed order: shared's Fashion-MNIST file has vae_torch; MNIST's has
        // pca_unscaled, the PCA that shared's Fashion-MNIST "pca" rows really are (heldout/README.md).
        List<String> methods = Stream.of("iforest", "pca", "pca_unscaled", "vae_torch")
                .filter(m -> baselines.means().values().stream().anyMatch(byClass -> byClass.containsKey(m)))
                .toList();
        StringBuilder b = new StringBuilder("## One-class " + images.title()
                + (images.heldOut() ? ", a held-out image kind: no default was chosen on it" : "")
                + " (train on class k's training images, score the 10,000 test images, anomaly = another class;"
                + " pixels / 255; trainer seed 0" + (plan.imageEpochs() > 0 ? ", at most " + plan.imageEpochs()
                + " epochs" : "") + ")\n\nBaselines: `" + images.baselinesFile() + "` in the "
                + (images.heldOut() ? "held-out folder (`--heldout`)" : "shared data folder (`--shared`)") + ".\n\n");
        for (String c : plan.candidates()) {
            List<RunResult> mine = of(runs, c).stream().filter(r -> images.classOf(r.set()) >= 0)
                    .sorted(Comparator.comparingInt(r -> images.classOf(r.set()))).toList();
            b.append("### candidate `").append(c).append("`\n\n| class | AUROC | AUPRC | F1 of the default threshold (P / R) | ")
                    .append(String.join(" | ", methods)).append(" | epochs (kept) | train s |\n|")
                    .append("---|".repeat(methods.size() + 6)).append('\n');
            double[] base = new double[methods.size()];
            for (RunResult r : mine) {
                String k = String.valueOf(images.classOf(r.set()));
                b.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s |", k, r.auroc(), r.auprc(),
                        Report.flags(r.f1(), r.precision(), r.recall())));
                for (int i = 0; i < methods.size(); i++) {
                    Baselines.Score s = baselines.get(k, methods.get(i));
                    double v = s == null ? Double.NaN : s.auroc();
                    base[i] += v;
                    b.append(String.format(Locale.ROOT, " %.3f |", v));
                }
                b.append(String.format(Locale.ROOT, " %d (%d) | %.1f |%n", r.epochs(), r.bestEpoch(), r.trainSeconds()));
            }
            if (!mine.isEmpty()) {
                b.append(String.format(Locale.ROOT, "| **mean of %d** | **%.4f** | **%.4f** | %s |", mine.size(),
                        mine.stream().mapToDouble(RunResult::auroc).average().orElse(Double.NaN),
                        mine.stream().mapToDouble(RunResult::auprc).average().orElse(Double.NaN),
                        Report.flags(mine.stream().mapToDouble(RunResult::f1).average().orElse(Double.NaN),
                                mine.stream().mapToDouble(RunResult::precision).average().orElse(Double.NaN),
                                mine.stream().mapToDouble(RunResult::recall).average().orElse(Double.NaN))));
                for (double v : base) {
                    b.append(String.format(Locale.ROOT, " %.3f |", v / mine.size()));
                }
                b.append(String.format(Locale.ROOT, " | %.1f |%n%n", mine.stream().mapToDouble(RunResult::trainSeconds).sum()));
            }
        }
        return b.toString();
    }

    private static List<RunResult> of(List<RunResult> runs, String candidate) {
        return runs.stream().filter(r -> r.candidate().equals(candidate)).toList();
    }

    /** Pixels / 255, as the baselines see them (the library then applies its own scaling on top). */
    static Table pixels(Table t) {
        float[] v = t.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] /= 255f;
        }
        return new Table(t.columns(), v, t.rows(), t.labels(), t.source());
    }

    /** The rows of class {@code k}, without labels: the one-class training set. */
    static Table oneClass(Table t, int k) {
        int[] labels = t.labels();
        int[] idx = java.util.stream.IntStream.range(0, t.rows()).filter(i -> labels[i] == k).toArray();
        Table s = t.select(idx);
        return new Table(s.columns(), s.values(), s.rows(), null, s.source());
    }

    /** All rows, labelled 1 (anomaly) when their class is not {@code k}. */
    static Table oneVsRest(Table t, int k) {
        int[] labels = new int[t.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = t.labels()[i] == k ? 0 : 1;
        }
        return new Table(t.columns(), t.values(), t.rows(), labels, t.source());
    }

    /** The shared folder: system property {@code vae.shared.dir}, else a {@code shared} folder beside the working directory or an ancestor. */
    static Path sharedRoot() {
        String prop = System.getProperty("vae.shared.dir");
        if (prop != null) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("data"))) {
                return candidate;
            }
        }
        return Paths.get("../shared");
    }

    /**
     * The held-out sets' folder: system property {@code vae.heldout.dir}, else {@code vae-bench/heldout} under the
     * working directory or an ancestor (so it is found from the project root and from the module folder).
     */
    static Path heldOutRoot() {
        String prop = System.getProperty("vae.heldout.dir");
        if (prop != null) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("vae-bench").resolve("heldout");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Paths.get("vae-bench/heldout");
    }
}
