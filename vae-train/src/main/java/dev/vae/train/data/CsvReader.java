package dev.vae.train.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A strict, streaming CSV reader: a header row, then one row per line, comma-separated, with optional double
 * quotes around cells. Gzip input ({@code .csv.gz}, or any file starting with the gzip magic) is read
 * transparently. Feature cells must be finite numbers; anything else is a {@link DataFormatException} naming the
 * file, line (1-based, the header is line 1) and column. Columns that are not features or the label are never
 * parsed, so ids and text may stand there.
 *
 * <p>Numbers are parsed to the nearest double and then rounded to float32, the same value any other JVM reader
 * (Spark's included) produces, so scores agree bit for bit across front ends.
 */
public final class CsvReader implements Closeable {

    private final String source;
    private final BufferedReader reader;
    private final List<String> header;
    private final List<String> features;
    private final int[] featureIndex;
    private final int labelIndex;
    private long line = 1;
    private final List<String> cells = new ArrayList<>();

    private CsvReader(String source, BufferedReader reader, CsvOptions options) throws IOException {
        this.source = source;
        this.reader = reader;
        String first = reader.readLine();
        if (first == null) {
            throw new DataFormatException(source + ": empty file (expected a header row)");
        }
        if (!first.isEmpty() && first.charAt(0) == '\uFEFF') {
            first = first.substring(1);
        }
        split(first);
        this.header = List.copyOf(cells);
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < header.size(); j++) {
            String name = header.get(j);
            if (name.isEmpty()) {
                throw new DataFormatException(source + ":1: column " + (j + 1) + " has an empty name in the header");
            }
            if (index.put(name, j) != null) {
                throw new DataFormatException(source + ":1: column name '" + name + "' appears twice in the header");
            }
        }
        String label = options.labelColumn();
        if (label != null && !index.containsKey(label)) {
            throw new DataFormatException(source + ": label column '" + label + "' not found; columns are " + header);
        }
        this.labelIndex = label == null ? -1 : index.get(label);
        for (String drop : options.dropColumns()) {
            if (!index.containsKey(drop)) {
                throw new DataFormatException(source + ": column '" + drop + "' to drop not found; columns are " + header);
            }
        }
        List<String> chosen = new ArrayList<>();
        if (options.featureColumns() != null) {
            List<String> missing = new ArrayList<>();
            for (String c : options.featureColumns()) {
                if (!index.containsKey(c)) {
                    missing.add(c);
                }
                chosen.add(c);
            }
            if (!missing.isEmpty()) {
                throw new DataFormatException(source + ": missing column" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " that the model needs");
            }
        } else {
            for (String c : header) {
                if (!c.equals(label) && !options.dropColumns().contains(c)) {
                    chosen.add(c);
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new DataFormatException(source + ": no feature columns left (columns are " + header + ")");
        }
        this.features = List.copyOf(chosen);
        this.featureIndex = new int[features.size()];
        for (int j = 0; j < featureIndex.length; j++) {
            featureIndex[j] = index.get(features.get(j));
        }
    }

    /** Opens a CSV file (plain or gzipped) and reads its header. */
    public static CsvReader open(Path path, CsvOptions options) throws IOException {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(path + ": is a folder, not a CSV file");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            return open(in, path.toString(), options);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads CSV from a stream (gzip detected by its magic bytes); {@code source} names it in messages. */
    public static CsvReader open(InputStream in, String source, CsvOptions options) throws IOException {
        InputStream s = in.markSupported() ? in : new BufferedInputStream(in);
        s.mark(2);
        int b0 = s.read();
        int b1 = s.read();
        s.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            s = new GZIPInputStream(s, 1 << 16);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8), 1 << 16);
        return new CsvReader(source, r, options);
    }

    /** Reads a whole file into memory. */
    public static Table read(Path path, CsvOptions options) throws IOException {
        try (CsvReader r = open(path, options)) {
            return r.readAll();
        }
    }

    /** The header's column names. */
    public List<String> header() {
        return header;
    }

    /** The feature columns, in the order their values are returned. */
    public List<String> featureColumns() {
        return features;
    }

    /** Whether a label column is read. */
    public boolean hasLabels() {
        return labelIndex >= 0;
    }

    /** The file or stream this reader reads, as named in messages. */
    public String source() {
        return source;
    }

    /** The line number of the last line read (the header is line 1). */
    public long line() {
        return line;
    }

    /**
     * Reads up to {@code maxRows} rows into {@code values} (row-major, {@code featureColumns().size()} per row) and,
     * when labels are read and {@code labels} is not null, their labels. Blank lines are skipped.
     *
     * @return the number of rows read; 0 at the end of the file
     */
    public int read(float[] values, int[] labels, int maxRows) throws IOException {
        int d = featureIndex.length;
        int n = 0;
        while (n < maxRows) {
            String text = reader.readLine();
            if (text == null) {
                break;
            }
            line++;
            if (text.isBlank()) {
                continue;
            }
            split(text);
            if (cells.size() != header.size()) {
                throw new DataFormatException(source + ":" + line + ": row has " + cells.size() + " cells but the header has "
                        + header.size());
            }
            for (int j = 0; j < d; j++) {
                values[n * d + j] = parse(cells.get(featureIndex[j]), features.get(j));
            }
            if (labelIndex >= 0 && labels != null) {
                labels[n] = parseLabel(cells.get(labelIndex));
            }
            n++;
        }
        return n;
    }

    /** Reads every remaining row into a {@link Table}. */
    public Table readAll() throws IOException {
        int d = featureIndex.length;
        int capacity = 1024;
        float[] values = new float[capacity * d];
        int[] labels = labelIndex >= 0 ? new int[capacity] : null;
        int rows = 0;
        float[] chunk = new float[1024 * d];
        int[] chunkLabels = labelIndex >= 0 ? new int[1024] : null;
        int n;
        while ((n = read(chunk, chunkLabels, 1024)) > 0) {
            if (rows + n > capacity) {
                long grown = Math.max((long) rows + n, (long) capacity * 2);
                if (grown * d > Integer.MAX_VALUE - 16) {
                    throw new DataFormatException(source + ": more than " + rows + " rows of " + d
                            + " features do not fit in one in-memory table; sample the data or stream it");
                }
                capacity = (int) grown;
                values = Arrays.copyOf(values, capacity * d);
                if (labels != null) {
                    labels = Arrays.copyOf(labels, capacity);
                }
            }
            System.arraycopy(chunk, 0, values, rows * d, n * d);
            if (labels != null) {
                System.arraycopy(chunkLabels, 0, labels, rows, n);
            }
            rows += n;
        }
        if (rows == 0) {
            throw new DataFormatException(source + ": no data rows after the header");
        }
        return new Table(features, Arrays.copyOf(values, rows * d), rows, labels == null ? null : Arrays.copyOf(labels, rows),
                source);
    }

    private float parse(String cell, String column) throws DataFormatException {
        String t = cell.trim();
        if (t.isEmpty()) {
            throw new DataFormatException(source + ":" + line + ": column '" + column + "' is empty");
        }
        double v = parseNumber(t);
        if (Double.isNaN(v) && !isNanText(t)) {
            throw new DataFormatException(source + ":" + line + ": column '" + column + "': '" + abbreviate(t)
                    + "' is not a number");
        }
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw new DataFormatException(source + ":" + line + ": column '" + column + "': " + abbreviate(t)
                    + " is not a finite number (NaN and infinity are not allowed)");
        }
        return f;
    }

    private int parseLabel(String cell) throws DataFormatException {
        String t = cell.trim();
        double v = parseNumber(t);
        if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new DataFormatException(source + ":" + line + ": label '" + abbreviate(t)
                    + "' is not an integer (expected 0 = normal, 1 = anomaly)");
        }
        return (int) v;
    }

    private static boolean isNanText(String t) {
        return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("+nan") || t.equalsIgnoreCase("-nan");
    }

    /** The nearest double to {@code t}, or NaN when it is not a number. Plain integers take a fast exact path. */
    static double parseNumber(String t) {
        int len = t.length();
        if (len > 0 && len <= 15) {
            int i = 0;
            boolean neg = false;
            char c0 = t.charAt(0);
            if (c0 == '-' || c0 == '+') {
                neg = c0 == '-';
                i = 1;
            }
            if (i < len) {
                long v = 0;
                int j = i;
                for (; j < len; j++) {
                    char c = t.charAt(j);
                    if (c < '0' || c > '9') {
                        break;
                    }
                    v = v * 10 + (c - '0');
                }
                if (j == len) {
                    return neg ? -(double) v : (double) v;
                }
            }
        }
        if (isNanText(t)) {
            return Double.NaN;
        }
        try {
            char last = t.charAt(len - 1);
            if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
                return Double.NaN; // Java's type suffixes are not CSV numbers
            }
            double v = Double.parseDouble(t);
            return v;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private void split(String text) throws DataFormatException {
        cells.clear();
        int len = text.length();
        int i = 0;
        StringBuilder quoted = null;
        while (true) {
            if (i < len && text.charAt(i) == '"') {
                if (quoted == null) {
                    quoted = new StringBuilder();
                }
                quoted.setLength(0);
                i++;
                while (true) {
                    if (i >= len) {
                        throw new DataFormatException(source + ":" + line + ": unterminated quoted cell");
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < len && text.charAt(i) == '"') {
                            quoted.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        quoted.append(c);
                    }
                }
                cells.add(quoted.toString());
                while (i < len && text.charAt(i) == ' ') {
                    i++;
                }
                if (i < len && text.charAt(i) != ',') {
                    throw new DataFormatException(source + ":" + line + ": text after a closing quote in cell "
                            + (cells.size()));
                }
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? len : comma;
                cells.add(text.substring(i, end).trim());
                i = end;
            }
            if (i >= len) {
                break;
            }
            i++; // skip the comma
            if (i == len) {
                cells.add("");
                break;
            }
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
