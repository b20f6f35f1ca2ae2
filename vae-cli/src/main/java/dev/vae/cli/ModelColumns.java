package dev.vae.cli;

import dev.vae.core.VaeModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Which CSV columns feed a model. A model normally remembers its feature columns by name and takes them from any
 * CSV by header name. A model whose names are the defaults x0..x{d-1} (e.g. one imported from ONNX) has no real
 * names: it takes the CSV's numeric columns in file order, after leaving out the label and dropped columns, and
 * the count must equal the model's input width.
 */
final class ModelColumns {

    private ModelColumns() {
    }

    /** The model, renamed to the CSV's columns when it takes them by position; unchanged otherwise. */
    static VaeModel bind(VaeModel model, Path csv, @Nullable String labelColumn, Collection<String> dropColumns)
            throws IOException {
        int d = model.inputDim();
        if (!model.featureNames().equals(VaeModel.defaultNames(d))) {
            return model;
        }
        if (SharedOptions.DataOption.isStdin(csv)) {
            throw new IllegalArgumentException("The model has no column names (x0..x" + (d - 1) + ") and takes columns "
                    + "by position, which needs a file to look at: give --data a file instead of standard input");
        }
        List<String> header;
        List<String> first;
        try (BufferedReader r = open(csv)) {
            String h = r.readLine();
            if (h == null) {
                throw new IllegalArgumentException(csv + ": empty file (expected a header row)");
            }
            header = cells(h.startsWith("\uFEFF") ? h.substring(1) : h);
            String f = r.readLine();
            first = f == null ? List.of() : cells(f);
        }
        if (header.containsAll(model.featureNames())) {
            return model;
        }
        List<String> columns = new ArrayList<>();
        for (int j = 0; j < header.size(); j++) {
            String name = header.get(j);
            if (name.equals(labelColumn) || dropColumns.contains(name)) {
                continue;
            }
            if (j >= first.size() || numeric(first.get(j))) {
                columns.add(name);
            }
        }
        if (columns.size() != d) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the model has no column names (x0..x%d), so it takes the numeric columns in file order, but "
                            + "the file has %d (%s) where the model expects %d; leave out others with --label-column or "
                            + "--drop-columns", csv, d - 1, columns.size(), abbreviate(columns), d));
        }
        return model.toBuilder().featureNames(columns).build();
    }

    private static BufferedReader open(Path csv) throws IOException {
        InputStream in = Files.newInputStream(csv);
        if (csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        for (String c : line.split(",", -1)) {
            String t = c.strip();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1).replace("\"\"", "\"");
            }
            out.add(t);
        }
        return out;
    }

    private static boolean numeric(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String abbreviate(List<String> columns) {
        if (columns.size() <= 6) {
            return String.join(",", columns);
        }
        return String.join(",", columns.subList(0, 3)) + ",...," + columns.get(columns.size() - 1);
    }
}
