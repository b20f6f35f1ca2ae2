package dev.vae.bench.series;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-series table of {@code NAB-BASELINES.md}: each series' VUS window and the VUS-PR of every baseline.
 *
 * @param methods the baselines, in the table's order
 * @param rows    per series (in the table's order): its window and one VUS-PR per method
 */
public record NabBaselines(List<String> methods, Map<String, Row> rows) {

    /** One series of the table. */
    public record Row(int window, double[] vusPr) {
    }

    /** Copies. */
    public NabBaselines {
        methods = List.copyOf(methods);
        rows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    /**
     * Reads the table that follows the heading "Per series: VUS-PR".
     *
     * @throws IOException when the file cannot be read or has no such table
     */
    public static NabBaselines read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("## Per series: VUS-PR")) {
            i++;
        }
        if (i + 2 >= lines.size()) {
            throw new IOException(file + ": no '## Per series: VUS-PR' table");
        }
        List<String> header = cells(lines.get(i + 1));
        if (header.size() < 3 || !header.get(0).equals("series") || !header.get(1).equals("window")) {
            throw new IOException(file + ": unexpected header " + header);
        }
        List<String> methods = header.subList(2, header.size());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int k = i + 3; k < lines.size() && lines.get(k).startsWith("|"); k++) {
            List<String> c = cells(lines.get(k));
            if (c.size() != header.size()) {
                throw new IOException(file + ":" + (k + 1) + ": expected " + header.size() + " cells, got " + c.size());
            }
            double[] v = new double[methods.size()];
            for (int m = 0; m < v.length; m++) {
                v[m] = Double.parseDouble(c.get(m + 2));
            }
            rows.put(c.get(0), new Row(Integer.parseInt(c.get(1)), v));
        }
        return new NabBaselines(methods, rows);
    }

    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        String t = line.trim();
        for (String c : t.substring(1, t.endsWith("|") ? t.length() - 1 : t.length()).split("\\|")) {
            out.add(c.trim());
        }
        return out;
    }
}
