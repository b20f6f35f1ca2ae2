package dev.vae.core.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * A strict, streaming CSV reader: a header row, then one row per line, comma-separated, with optional double
 * quotes around cells. Gzip input ({@code .csv.gz}, or any file starting with the gzip magic) is read
 * transparently. Feature cells must be finite numbers; anything else is a {@link DataFormatException} naming the
 * file, line (1-based, the header is line 1) and column. Columns that are not features or the label are never
 * parsed, so ids and text may stand there.
 *
 * <p>Numbers are parsed to the nearest double and then rounded to float32, the same value any other JVM reader
 * (Spark's included) produces, so scores agree bit for bit across front ends.
 *
 * <p>Robustness: lines may end in LF, CRLF or CR; a UTF-8 byte-order mark is skipped; text must be valid UTF-8
 * (binary data is refused, not turned into replacement characters); a line longer than {@link #MAX_LINE_CHARS}
 * is refused before it is buffered, so no input can exhaust memory through one line; damaged gzip data is a
 * {@link DataFormatException}. The only exceptions {@link #open(Path, CsvOptions)} and the read methods throw for bad
 * input are {@link DataFormatException} and, for a missing file, {@link NoSuchFileException}; other
 * {@link IOException}s mean the file system failed. Quoted cells may not span lines.
 */
public final class CsvReader implements Closeable {

    /** The longest line accepted, in characters (a row of 65,536 long numbers fits with room to spare). */
    public static final int MAX_LINE_CHARS = 1 << 22;

    private static final int CHUNK_ROWS = 1024;

    private final String source;
    private final boolean gzip;
    private final Reader reader;
    private final char[] buffer = new char[1 << 13];
    private int pos;
    private int limit;
    private boolean eof;
    private final StringBuilder lineText = new StringBuilder(256);
    private final List<String> header;
    private final List<String> features;
    private final int[] featureIndex;
    private final int labelIndex;
    private final int textIndex;
    private final boolean missingAsNaN;
    private long line;
    private final List<String> cells = new ArrayList<>();

    private CsvReader(String source, Reader reader, boolean gzip, CsvOptions options) throws IOException {
        this.source = source;
        this.reader = reader;
        this.gzip = gzip;
        String first = nextLine();
        line = 1;
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
        String text = options.textColumn();
        if (text != null && !index.containsKey(text)) {
            throw new DataFormatException(source + ": column '" + text + "' not found; columns are " + header);
        }
        if (text != null && text.equals(label)) {
            throw new DataFormatException(source + ": column '" + text + "' cannot be both the label and the time column");
        }
        this.textIndex = text == null ? -1 : index.get(text);
        this.missingAsNaN = options.missingAsNaN();
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
                if (!c.equals(label) && !c.equals(text) && !options.dropColumns().contains(c)) {
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

    /**
     * Opens a CSV file (plain or gzipped) and reads its header.
     *
     * @throws NoSuchFileException  when the file does not exist
     * @throws DataFormatException  when it is a folder, unreadable, or its header is unusable
     */
    public static CsvReader open(Path path, CsvOptions options) throws IOException {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(path + ": is a folder, not a CSV file");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(path);
        } catch (AccessDeniedException e) {
            throw new DataFormatException(path + ": cannot be read (permission denied)");
        }
        InputStream in = new BufferedInputStream(raw, 1 << 16);
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
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        if (gzip) {
            try {
                s = new GZIPInputStream(s, 1 << 16);
            } catch (EOFException | ZipException e) {
                throw new DataFormatException(source + ": damaged gzip data (" + e.getMessage() + ")");
            }
        }
        // REPORT, not the default REPLACE: binary data must be refused, not read as replacement characters.
        Reader r = new InputStreamReader(s, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return new CsvReader(source, r, gzip, options);
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
    public int read(float[] values, int @Nullable [] labels, int maxRows) throws IOException {
        return read(values, labels, null, maxRows);
    }

    /**
     * As {@link #read(float[], int[], int)}, and when {@code texts} is not null each row's cell of the text column
     * ({@link CsvOptions#textColumn()}, trimmed) goes to {@code texts}.
     */
    public int read(float[] values, int @Nullable [] labels, String @Nullable [] texts, int maxRows) throws IOException {
        int d = featureIndex.length;
        if (texts != null && (textIndex < 0 || texts.length < maxRows)) {
            throw new IllegalArgumentException(textIndex < 0 ? "No text column was asked for in the CSV options"
                    : "Invalid buffer for " + maxRows + " texts: " + texts.length);
        }
        if (maxRows < 0 || (long) maxRows * d > values.length || (labels != null && labels.length < maxRows && hasLabels())) {
            throw new IllegalArgumentException("Invalid buffers for " + maxRows + " rows of " + d + " features: "
                    + values.length + " values" + (labels == null ? "" : ", " + labels.length + " labels"));
        }
        int n = 0;
        while (n < maxRows) {
            String text = nextLine();
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
                values[n * d + j] = parse(cells.get(featureIndex[j]), j);
            }
            if (labelIndex >= 0 && labels != null) {
                labels[n] = parseLabel(cells.get(labelIndex));
            }
            if (texts != null) {
                texts[n] = cells.get(textIndex).trim();
            }
            n++;
        }
        return n;
    }

    /**
     * Reads every remaining row into a {@link Table}.
     *
     * @throws DataFormatException when there are no rows, a row is bad, or the rows do not fit in the Java heap (the
     *                             message says how much memory they need, instead of an {@link OutOfMemoryError})
     */
    public Table readAll() throws IOException {
        int d = featureIndex.length;
        int capacity = CHUNK_ROWS;
        float[] values = new float[capacity * d];
        int[] labels = labelIndex >= 0 ? new int[capacity] : null;
        int rows = 0;
        float[] chunk = new float[CHUNK_ROWS * d];
        int[] chunkLabels = labelIndex >= 0 ? new int[CHUNK_ROWS] : null;
        int n;
        while ((n = read(chunk, chunkLabels, CHUNK_ROWS)) > 0) {
            if (rows + n > capacity) {
                long grown = Math.max((long) rows + n, (long) capacity * 2);
                if (grown * d > Integer.MAX_VALUE - 16) {
                    throw new DataFormatException(source + ": more than " + rows + " rows of " + d
                            + " features do not fit in one in-memory table; sample the data or stream it");
                }
                // Growing needs the old and the new array at once; refuse early when the heap can never hold them.
                long need = (capacity + grown) * d * (long) Float.BYTES + (labels == null ? 0 : (capacity + grown) * 4L);
                if (need > Runtime.getRuntime().maxMemory()) {
                    throw tooLarge(rows, d, need);
                }
                try {
                    float[] v = Arrays.copyOf(values, (int) grown * d);
                    int[] l = labels == null ? null : Arrays.copyOf(labels, (int) grown);
                    values = v;
                    labels = l;
                } catch (OutOfMemoryError e) {
                    // Safe to recover here: the failed allocation was ours and nothing else was half-built.
                    values = null;
                    labels = null;
                    throw tooLarge(rows, d, need);
                }
                capacity = (int) grown;
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
        try {
            return new Table(features, Arrays.copyOf(values, rows * d), rows,
                    labels == null ? null : Arrays.copyOf(labels, rows), source);
        } catch (OutOfMemoryError e) {
            values = null;
            labels = null;
            throw tooLarge(rows, d, 2L * rows * d * Float.BYTES);
        }
    }

    private DataFormatException tooLarge(int rows, int d, long needBytes) {
        long max = Runtime.getRuntime().maxMemory();
        return new DataFormatException(String.format(Locale.ROOT,
                "%s: the data does not fit in memory: after %,d rows of %d features the table needs about %,d MiB "
                        + "but the Java heap is %,d MiB; raise the heap (e.g. VAE_JAVA_OPTS=-Xmx8g) or train on a sample",
                source, rows, d, needBytes >> 20, max >> 20));
    }

    private float parse(String cell, int feature) throws DataFormatException {
        String t = cell.trim();
        if (missingAsNaN && (t.isEmpty() || isNanText(t))) {
            return Float.NaN;
        }
        if (t.isEmpty()) {
            throw new DataFormatException(where(feature) + " is empty");
        }
        double v = parseNumber(t);
        if (Double.isNaN(v) && !isNanText(t)) {
            throw new DataFormatException(where(feature) + ": '" + abbreviate(t) + "' is not a number");
        }
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw new DataFormatException(where(feature) + ": " + abbreviate(t)
                    + (Double.isFinite(v) ? " overflows float32" : " is not a finite number")
                    + " (NaN and infinity are not allowed)");
        }
        return f;
    }

    /** "file:line: column N 'name'", N counted from 1 in the file's header. */
    private String where(int feature) {
        return source + ":" + line + ": column " + (featureIndex[feature] + 1) + " '" + abbreviate(features.get(feature)) + "'";
    }

    private int parseLabel(String cell) throws DataFormatException {
        String t = cell.trim();
        if (t.isEmpty()) {
            throw new DataFormatException(source + ":" + line + ": column " + (labelIndex + 1) + " '"
                    + abbreviate(header.get(labelIndex)) + "': the label is empty");
        }
        double v = parseNumber(t);
        if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new DataFormatException(source + ":" + line + ": column " + (labelIndex + 1) + " '"
                    + abbreviate(header.get(labelIndex)) + "': label '" + abbreviate(t)
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
        if (len == 0) {
            return Double.NaN;
        }
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

    /** Shortens {@code s} and shows control characters as escapes, so a message stays one printable line. */
    private static String abbreviate(String s) {
        String t = s.length() <= 40 ? s : s.substring(0, 37) + "...";
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The next line without its terminator (LF, CRLF or CR), or null at the end. Bounded by {@link #MAX_LINE_CHARS}
     * so that a file without line breaks cannot exhaust memory; decoding and gzip failures become
     * {@link DataFormatException}s naming the line.
     */
    private @Nullable String nextLine() throws IOException {
        lineText.setLength(0);
        boolean any = false;
        while (true) {
            if (pos >= limit) {
                if (eof || !fill()) {
                    return any ? finishLine() : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit) {
                char c = buffer[pos];
                if (c == '\n' || c == '\r') {
                    append(start, pos);
                    pos++;
                    if (c == '\r') {
                        skipLineFeed();
                    }
                    return finishLine();
                }
                pos++;
            }
            append(start, pos);
        }
    }

    private String finishLine() {
        String text = lineText.toString();
        lineText.setLength(0);
        return text;
    }

    private void append(int from, int to) throws DataFormatException {
        if ((long) lineText.length() + (to - from) > MAX_LINE_CHARS) {
            throw new DataFormatException(source + ":" + (line + 1) + ": line longer than " + MAX_LINE_CHARS
                    + " characters (not a CSV file, or no line breaks?)");
        }
        lineText.append(buffer, from, to - from);
    }

    private void skipLineFeed() throws IOException {
        if (pos >= limit && !eof) {
            fill();
        }
        if (pos < limit && buffer[pos] == '\n') {
            pos++;
        }
    }

    private boolean fill() throws IOException {
        int n;
        try {
            n = reader.read(buffer, 0, buffer.length);
        } catch (CharacterCodingException e) {
            throw new DataFormatException(source + ":" + (line + 1) + ": not UTF-8 text (a binary file?)");
        } catch (EOFException | ZipException e) {
            if (!gzip) {
                throw e;
            }
            throw new DataFormatException(source + ":" + (line + 1) + ": damaged or truncated gzip data ("
                    + e.getMessage() + ")");
        }
        if (n < 0) {
            eof = true;
            pos = limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return n > 0 || fill();
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
