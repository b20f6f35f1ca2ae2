package dev.vae.bench.quality;

/**
 * One trained-and-scored run of the suite: one candidate, one set (or one Fashion-MNIST class), one seed.
 *
 * @param candidate    the candidate's spec
 * @param set          the set's name, or {@code fashion_mnist/K} for the one-class run of class K
 * @param seed         the fold seed (0-based, {@code s0} = 0), which is also the trainer's seed
 * @param auroc        test AUROC of the model's own score
 * @param auprc        test average precision (AUPRC)
 * @param trainSeconds wall-clock seconds of training (all ensemble members; not loading or scoring)
 * @param epochs       epochs run by the (first) model
 * @param bestEpoch    the epoch whose weights it kept
 * @param trainRows    training rows
 * @param testRows     test rows
 * @param testAnomalies anomalies among the test rows
 */
public record RunResult(String candidate, String set, int seed, double auroc, double auprc, double trainSeconds,
                        int epochs, int bestEpoch, int trainRows, int testRows, int testAnomalies) {

    /** The CSV header matching {@link #csv()}. */
    public static final String CSV_HEADER =
            "candidate,set,seed,auroc,auprc,train_seconds,epochs,best_epoch,train_rows,test_rows,test_anomalies";

    /** This run as a CSV line (the candidate quoted: specs may hold commas). */
    public String csv() {
        return String.format(java.util.Locale.ROOT, "\"%s\",%s,%d,%.6f,%.6f,%.3f,%d,%d,%d,%d,%d",
                candidate.replace("\"", "\"\""), set, seed, auroc, auprc, trainSeconds, epochs, bestEpoch, trainRows,
                testRows, testAnomalies);
    }

    /**
     * Reads runs written by {@link #csv()} under {@link #CSV_HEADER}.
     *
     * @throws IllegalArgumentException naming the file and line when a line is malformed
     */
    public static java.util.List<RunResult> readCsv(java.nio.file.Path file) throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
            throw new IllegalArgumentException(file + ": not a suite CSV (expected the header " + CSV_HEADER + ")");
        }
        java.util.List<RunResult> out = new java.util.ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int close = line.lastIndexOf('"');
            if (!line.startsWith("\"") || close < 1) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected a quoted candidate");
            }
            String candidate = line.substring(1, close).replace("\"\"", "\"");
            String[] f = line.substring(close + 2).split(",");
            if (f.length != 10) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 11 fields");
            }
            out.add(new RunResult(candidate, f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    Integer.parseInt(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9])));
        }
        return out;
    }
}
