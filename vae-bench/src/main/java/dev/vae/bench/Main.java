package dev.vae.bench;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.Simd;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Runs the project's workloads and then the PyTorch peer on the same machine, and prints each figure with its
 * ratio to the peer (and to DL4J's published figures).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar vae-bench/target/vae-bench.jar [--epochs 3] [--shared ../shared] [--min-time 2]
 *      [--skip-peer] [--skip-onnx] [--only mnist,tabular,scoring,onnx]
 * </pre>
 */
public final class Main {

    /** DL4J's published figures (SPEC section 9): training rows/s and single-row p50 in microseconds. */
    private static final double DL4J_TRAIN = 2_900;
    private static final double DL4J_P50_MICROS = 931;

    private final Map<String, String> options;
    private final List<String> report = new ArrayList<>();

    private Main(Map<String, String> options) {
        this.options = options;
    }

    /**
     * Entry point.
     *
     * @param args options, see the class documentation
     * @throws Exception when a data set is missing or a workload fails
     */
    public static void main(String[] args) throws Exception {
        new Main(LongOptions.parse(args)).run();
    }

    private String opt(String name, String def) {
        return options.getOrDefault(name, def);
    }

    private boolean wants(String workload) {
        String only = opt("only", "mnist,tabular,scoring,onnx");
        return Set.of(only.split(",")).contains(workload);
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.add(s);
    }

    private void run() throws Exception {
        Path shared = Path.of(opt("shared", "../shared"));
        int epochs = Integer.parseInt(opt("epochs", "3"));
        double minTime = Double.parseDouble(opt("min-time", "2"));
        boolean peer = !options.containsKey("skip-peer");
        line("# vae-bench  kernels=%s  element-wise=%s  cores=%d  OPENBLAS_NUM_THREADS=%s  java=%s  max heap=%d MiB",
                Kernels.best().name(), Simd.describe(), Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        Peer torch = new Peer(Path.of(opt("python", "/usr/bin/python3")), shared.resolve("peers/pytorch/vae_bench.py"));
        Path peerLog = Files.createTempFile("vae-bench-peer", ".log");
        if (peer && !torch.available()) {
            line("! PyTorch peer not available (%s): ratios skipped", shared.resolve("peers/pytorch/vae_bench.py"));
            peer = false;
        }

        Table mnistTest = null;
        Workloads.Training mnist = null;
        if (wants("mnist") || wants("scoring") || wants("onnx")) {
            mnistTest = CsvReader.read(shared.resolve("data/mnist/mnist_test.csv.gz"), CsvOptions.withLabel("digit", Set.of()));
        }
        if (wants("mnist") || wants("scoring")) {
            Table train = CsvReader.read(shared.resolve("data/mnist/mnist_train.csv.gz"), CsvOptions.withLabel("digit", Set.of()));
            Stats.resetHeapPeaks();
            mnist = Workloads.train(train, List.of(400), 20, "bernoulli", epochs, 1);
            line("java  mnist 784-400-20 bernoulli train: %,.0f rows/s (median of epochs 2..%d; epoch 1 %,.0f; all %s) "
                            + "final loss %.2f; peak heap %.0f MiB",
                    mnist.rowsPerSecond(), epochs, mnist.firstEpochRowsPerSecond(), fmt(mnist.epochRowsPerSecond()),
                    mnist.finalLoss(), Stats.peakHeapMiB());
            if (peer) {
                double best = 0;
                String bestSetting = "";
                for (String[] threads : new String[][] {{"1", "1"}, {"1", "2"}}) {
                    Map<String, Double> r = torch.run(List.of("--threads", threads[0], "--blas-threads", threads[1],
                            "--epochs", Integer.toString(epochs), "--no-score-bench"), Map.of(), peerLog);
                    double v = r.getOrDefault("train_summary.median_samples_per_s_after_warmup", Double.NaN);
                    line("torch mnist train (threads %s, blas %s): %,.0f rows/s", threads[0], threads[1], v);
                    if (v > best) {
                        best = v;
                        bestSetting = threads[0] + "/" + threads[1];
                    }
                }
                line("RATIO mnist train java/torch-best(%s) = %.2fx (target 1.25x); java/DL4J = %.1fx",
                        bestSetting, mnist.rowsPerSecond() / best, mnist.rowsPerSecond() / DL4J_TRAIN);
            }
        }

        if (wants("tabular")) {
            Table tab = Workloads.syntheticTabular(100_000, 30, 1);
            Table test = Workloads.syntheticTabular(10_000, 30, 2);
            // The target ratios compare the same model on both sides: a unit-variance Gaussian decoder 8-64-30, the
            // peer's --gauss-var unit. The library's default likelihood (per-row learned variances since session 7)
            // is compared on the side with the peer's --gauss-var learned (one log-variance per feature), which is
            // less work: the default decodes 60 outputs a row and takes a tanh and an exp per feature.
            String defaultLikelihood = dev.vae.core.nn.Architecture.defaults(30).likelihood().id();
            Workloads.Training own = Workloads.train(tab, List.of(64), 8, defaultLikelihood, epochs, 1);
            Workloads.Scoring ownBig = Workloads.score(new Scorer(own.result().model()), test.values(), test.rows(), 30,
                    4096, minTime);
            line("java  tabular 30-64-8 %s (the default likelihood) train: %,.0f rows/s;"
                    + " score batch 4096: %,.0f rows/s", defaultLikelihood, own.rowsPerSecond(), ownBig.rowsPerSecond());
            // The default for a table with a near-constant column (Architecture.defaultLikelihood(Table)): the
            // Student-t computes a tanh, an exp and a log1p per feature, through the element kernels.
            String nearConstant = dev.vae.core.nn.Architecture.NEAR_CONSTANT_LIKELIHOOD.id();
            Workloads.Training heavy = Workloads.train(tab, List.of(64), 8, nearConstant, epochs, 1);
            Workloads.Scoring heavyBig = Workloads.score(new Scorer(heavy.result().model()), test.values(), test.rows(),
                    30, 4096, minTime);
            line("java  tabular 30-64-8 %s (the default with a near-constant column) train: %,.0f rows/s (%.2fx the"
                    + " default likelihood's); score batch 4096: %,.0f rows/s (%.2fx)", nearConstant,
                    heavy.rowsPerSecond(), heavy.rowsPerSecond() / own.rowsPerSecond(), heavyBig.rowsPerSecond(),
                    heavyBig.rowsPerSecond() / ownBig.rowsPerSecond());
            Workloads.Training t = Workloads.train(tab, List.of(64), 8, "gaussian-fixed", epochs, 1);
            line("java  tabular 30-64-8 gaussian-fixed train: %,.0f rows/s (median of epochs 2..%d; all %s)",
                    t.rowsPerSecond(), epochs, fmt(t.epochRowsPerSecond()));
            Scorer scorer = new Scorer(t.result().model());
            Workloads.Scoring one = Workloads.score(scorer, test.values(), test.rows(), 30, 1, minTime);
            line("java  tabular score batch 1: %,.0f rows/s  p50 %.1f us  p99 %.1f us (%d calls)",
                    one.rowsPerSecond(), one.p50Micros(), one.p99Micros(), one.calls());
            Workloads.Scoring big = Workloads.score(scorer, test.values(), test.rows(), 30, 4096, minTime);
            line("java  tabular score batch 4096: %,.0f rows/s", big.rowsPerSecond());
            if (peer) {
                Map<String, Double> r = tabularPeer(torch, "unit", epochs, minTime, peerLog);
                double tr = r.getOrDefault("train_summary.median_samples_per_s_after_warmup", Double.NaN);
                OptionalDouble p50 = Peer.least(r, "scoring\\.(eager|jit)_zmu\\.1\\.p50_us");
                OptionalDouble b4096 = Peer.best(r, "scoring\\.(eager|jit)_zmu\\.4096\\.samples_per_s");
                line("torch tabular train: %,.0f rows/s; score batch 1 p50 %.1f us (best of eager/TorchScript); "
                        + "batch 4096 %,.0f rows/s", tr, p50.orElse(Double.NaN), b4096.orElse(Double.NaN));
                Map<String, Double> learned = tabularPeer(torch, "learned", epochs, minTime, peerLog);
                double ltr = learned.getOrDefault("train_summary.median_samples_per_s_after_warmup", Double.NaN);
                OptionalDouble l4096 = Peer.best(learned, "scoring\\.(eager|jit)_zmu\\.4096\\.samples_per_s");
                line("torch tabular --gauss-var learned train: %,.0f rows/s; batch 4096 %,.0f rows/s; RATIO java"
                                + " %s/torch learned: train %.2fx, batch 4096 %.2fx", ltr,
                        l4096.orElse(Double.NaN), defaultLikelihood, own.rowsPerSecond() / ltr,
                        ownBig.rowsPerSecond() / l4096.orElse(Double.NaN));
                line("RATIO tabular train java/torch = %.2fx (target 2x); single-row p50 torch/java = %.1fx "
                                + "(target p50 <= 10 us: %s); batch 4096 java/torch = %.2fx; p50 DL4J/java = %.0fx",
                        t.rowsPerSecond() / tr, p50.orElse(Double.NaN) / one.p50Micros(),
                        one.p50Micros() <= 10 ? "met" : "missed", big.rowsPerSecond() / b4096.orElse(Double.NaN),
                        DL4J_P50_MICROS / one.p50Micros());
            }
        }

        if (wants("scoring") && mnist != null && mnistTest != null) {
            Scorer scorer = new Scorer(mnist.result().model());
            Map<Integer, Double> java = new LinkedHashMap<>();
            for (int batch : new int[] {1, 64, 4096}) {
                Workloads.Scoring s = Workloads.score(scorer, mnistTest.values(), mnistTest.rows(), 784, batch, minTime);
                java.put(batch, s.rowsPerSecond());
                line("java  mnist score batch %d: %,.0f rows/s  (call p50 %.1f us, p99 %.1f us)", batch,
                        s.rowsPerSecond(), s.p50Micros(), s.p99Micros());
            }
            if (peer) {
                Map<String, Double> r = torch.run(List.of("--threads", "1", "--blas-threads", "2", "--epochs", "1",
                        "--min-time", Double.toString(minTime)), Map.of(), peerLog);
                for (int batch : new int[] {1, 64, 4096}) {
                    OptionalDouble v = Peer.best(r, "scoring\\.(eager|jit)_zmu\\." + batch + "\\.samples_per_s");
                    line("torch mnist score batch %d: %,.0f rows/s; RATIO java/torch = %.2fx (target >= 1)", batch,
                            v.orElse(Double.NaN), java.get(batch) / v.orElse(Double.NaN));
                }
            }
        }

        if (wants("onnx") && mnistTest != null && !options.containsKey("skip-onnx")) {
            Path fixture = shared.resolve("fixtures/pytorch-mnist");
            float[] x = mnistTest.values().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] /= 255f;
            }
            for (int batch : new int[] {1, 64, 4096}) {
                OnnxComparison.Result r = OnnxComparison.run(fixture, x, mnistTest.rows(), batch, minTime);
                line("onnx  mnist encode+decode batch %d: onnxruntime %,.0f rows/s, native %,.0f rows/s; "
                        + "RATIO native/onnx = %.2fx (target >= 1)", batch, r.onnxRowsPerSecond(),
                        r.nativeRowsPerSecond(), r.nativeRowsPerSecond() / r.onnxRowsPerSecond());
            }
        }
        line("# peak resident memory of this JVM: %.0f MiB (peer log: %s)", Stats.peakResidentMiB(), peerLog);
    }

    /** The peer's tabular model 30-64-8 on one thread, with its unit or learned per-feature variance. */
    private static Map<String, Double> tabularPeer(Peer torch, String gaussVar, int epochs, double minTime, Path log)
            throws IOException, InterruptedException {
        return torch.run(List.of("--input-dim", "30", "--hidden", "64", "--latent", "8", "--likelihood", "gaussian",
                "--gauss-var", gaussVar, "--rows", "100000", "--test-rows", "10000", "--epochs", Integer.toString(epochs),
                "--threads", "1", "--blas-threads", "1", "--min-time", Double.toString(minTime)), Map.of(), log);
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", v[i]));
        }
        return b.append(']').toString();
    }
}
