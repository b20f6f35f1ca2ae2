package dev.vae.bench.quality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One trained-and-scored run of the suite: one candidate, one set (or one image class), one seed. The last
 * four fields measure the rows flagged by the default threshold ({@link Protocol}); runs read from a CSV written
 * before they were measured have them NaN.
 *
 * @param candidate    the candidate's spec
 * @param set          the set's name, or {@code fashion_mnist/K} or {@code mnist/K} for the one-class run of class K
 *                     ({@link ImageSet#run})
 * @param seed         the fold seed (0-based, {@code s0} = 0), which is also the trainer's seed
 * @param auroc        test AUROC of the model's own score
 * @param auprc        test average precision (AUPRC)
 * @param trainSeconds wall-clock seconds of training (all ensemble members; not loading or scoring)
 * @param epochs       epochs run by the (first) model
 * @param bestEpoch    the epoch whose weights it kept
 * @param trainRows    training rows
 * @param testRows     test rows
 * @param testAnomalies anomalies among the test rows
 * @param precision    test precision of the default threshold's flags; 0 by convention when it flags no row
 * @param recall       test recall of those flags
 * @param f1           their test F1 (0 when nothing is flagged)
 * @param flaggedShare the share of test rows flagged
 */
public record RunResult(String candidate, String set, int seed, double auroc, double auprc, double trainSeconds,
                        int epochs, int bestEpoch, int trainRows, int testRows, int testAnomalies, double precision,
                        double recall, double f1, double flaggedShare) {

    /**
     * The header of CSVs written before the default threshold's flags were measured: its runs have eleven fields,
     * and {@link #readCsv} reads them with the flag metrics NaN.
     */
    public static final String CSV_HEADER_WITHOUT_FLAGS =
            "candidate,set,seed,auroc,auprc,train_seconds,epochs,best_epoch,train_rows,test_rows,test_anomalies";

    /** The CSV header matching {@link #csv()}. */
    public static final String CSV_HEADER = CSV_HEADER_WITHOUT_FLAGS + ",precision,recall,f1,flagged_share";

    /** This run as a CSV line (the candidate quoted: specs may hold commas; unmeasured flag metrics as NaN). */
    public String csv() {
        return String.format(Locale.ROOT, "\"%s\",%s,%d,%.6f,%.6f,%.3f,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.6f",
                candidate.replace("\"", "\"\""), set, seed, auroc, auprc, trainSeconds, epochs, bestEpoch, trainRows,
                testRows, testAnomalies, precision, recall, f1, flaggedShare);
    }

    /** Writes {@code runs} to {@code file} under {@link #CSV_HEADER}, one {@link #csv()} line each. */
    public static void writeCsv(Path file, List<RunResult> runs) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        runs.forEach(r -> lines.add(r.csv()));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /**
     * Reads runs written by {@link #csv()} under {@link #CSV_HEADER}, or by the suite before the flags were measured
     * under {@link #CSV_HEADER_WITHOUT_FLAGS} (their flag metrics NaN).
     *
     * @throws IllegalArgumentException naming the file and line when the header is neither or a line is malformed
     */
    public static List<RunResult> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !(lines.get(0).equals(CSV_HEADER) || lines.get(0).equals(CSV_HEADER_WITHOUT_FLAGS))) {
            throw new IllegalArgumentException(file + ": not a suite CSV (expected the header " + CSV_HEADER
                    + ", or the older " + CSV_HEADER_WITHOUT_FLAGS + ")");
        }
        int fields = lines.get(0).split(",").length;
        List<RunResult> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int close = line.lastIndexOf('"');
            if (!line.startsWith("\"") || close < 1) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected a quoted candidate");
            }
            String candidate = line.substring(1, close).replace("\"\"", "\"");
            // f[0] is the set: the field after the candidate.
            String[] f = line.substring(close + 2).split(",");
            if (f.length != fields - 1) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected " + fields + " fields, as the"
                        + " header, got " + (f.length + 1));
            }
            try {
                boolean flagsMeasured = fields > 11;
                out.add(new RunResult(candidate, f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Integer.parseInt(f[5]),
                        Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]),
                        flagsMeasured ? Double.parseDouble(f[10]) : Double.NaN,
                        flagsMeasured ? Double.parseDouble(f[11]) : Double.NaN,
                        flagsMeasured ? Double.parseDouble(f[12]) : Double.NaN,
                        flagsMeasured ? Double.parseDouble(f[13]) : Double.NaN));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a number: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
