package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.UnreadableFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad-input case of docs/bad-input.md for the CSV reader and the array entry points, with its exact message. */
class CsvBadInputTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Reading fails with a one-line DataFormatException whose message is exactly {@code expected}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(Path p, CsvOptions options, String expected) {
        return assertThatThrownBy(() -> CsvReader.read(p, options)).isInstanceOf(DataFormatException.class)
                .hasMessage(expected).hasMessageNotContaining("\n");
    }

    @Test
    void givenANonNumericCell_whenRead_thenTheMessageNamesFileLineColumnAndValue() throws Exception {
        Path p = write("a.csv", "a,b\n1,2\n3,abc\n");
        refused(p, CsvOptions.allColumns(), p + ":3: column 2 'b': 'abc' is not a number");
    }

    @Test
    void givenNanInfinityOrFloatOverflow_whenRead_thenEachIsRefusedWithItsLine() throws Exception {
        Path nan = write("nan.csv", "a,b\n1,NaN\n");
        refused(nan, CsvOptions.allColumns(), nan + ":2: column 2 'b': NaN is not a finite number (NaN and infinity are not allowed)");
        Path inf = write("inf.csv", "a,b\n1,2\n-Infinity,2\n");
        refused(inf, CsvOptions.allColumns(),
                inf + ":3: column 1 'a': -Infinity is not a finite number (NaN and infinity are not allowed)");
        Path big = write("big.csv", "a,b\n1,1e39\n");
        refused(big, CsvOptions.allColumns(), big + ":2: column 2 'b': 1e39 overflows float32 (NaN and infinity are not allowed)");
    }

    @Test
    void givenRaggedRows_whenRead_thenTheLineAndBothWidthsAreNamed() throws Exception {
        Path more = write("more.csv", "a,b\n1,2,3\n");
        refused(more, CsvOptions.allColumns(), more + ":2: row has 3 cells but the header has 2");
        Path fewer = write("fewer.csv", "a,b\n1,2\n\n4\n");
        refused(fewer, CsvOptions.allColumns(), fewer + ":4: row has 1 cells but the header has 2");
    }

    @Test
    void givenAnEmptyFileOrAHeaderWithoutRows_whenRead_thenBothAreRefused() throws Exception {
        Path empty = write("empty.csv", "");
        refused(empty, CsvOptions.allColumns(), empty + ": empty file (expected a header row)");
        Path header = write("header.csv", "a,b\r\n\r\n");
        refused(header, CsvOptions.allColumns(), header + ": no data rows after the header");
    }

    @Test
    void givenMissingColumns_whenRead_thenTheMissingNamesAreListed() throws Exception {
        Path p = write("cols.csv", "a,b\n1,2\n");
        refused(p, CsvOptions.withLabel("label", Set.of()), p + ": label column 'label' not found; columns are [a, b]");
        refused(p, CsvOptions.forColumns(List.of("a", "c", "d"), null), p + ": missing columns c, d that the model needs");
        refused(p, CsvOptions.withLabel(null, Set.of("x")), p + ": column 'x' to drop not found; columns are [a, b]");
        refused(p, CsvOptions.withLabel(null, Set.of("a", "b")), p + ": no feature columns left (columns are [a, b])");
    }

    @Test
    void givenBadHeaders_whenRead_thenEmptyAndDuplicateNamesAreRefused() throws Exception {
        Path dup = write("dup.csv", "a,b,a\n1,2,3\n");
        refused(dup, CsvOptions.allColumns(), dup + ":1: column name 'a' appears twice in the header");
        Path blank = write("blank.csv", "a,,c\n1,2,3\n");
        refused(blank, CsvOptions.allColumns(), blank + ":1: column 2 has an empty name in the header");
    }

    @Test
    void givenAnEmptyCellOrABadLabel_whenRead_thenTheColumnIsNamed() throws Exception {
        Path empty = write("ecell.csv", "a,b\n1,\n");
        refused(empty, CsvOptions.allColumns(), empty + ":2: column 2 'b' is empty");
        Path label = write("label.csv", "a,label\n1,0\n2,yes\n");
        refused(label, CsvOptions.withLabel("label", Set.of()),
                label + ":3: column 2 'label': label 'yes' is not an integer (expected 0 = normal, 1 = anomaly)");
        // Found by CsvReaderFuzzTest: an empty label cell used to escape as StringIndexOutOfBoundsException.
        Path noLabel = write("nolabel.csv", "a,label\n1,\n");
        refused(noLabel, CsvOptions.withLabel("label", Set.of()), noLabel + ":2: column 2 'label': the label is empty");
    }

    @Test
    void givenAMissingPathAFolderOrAnUnreadableFile_whenOpened_thenEachGetsItsOwnError() throws Exception {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> CsvReader.read(missing, CsvOptions.allColumns())).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        refused(dir, CsvOptions.allColumns(), dir + ": is a folder, not a CSV file");
        Path locked = UnreadableFile.from(write("locked.csv", "a\n1\n"));
        refused(locked, CsvOptions.allColumns(), locked + ": cannot be read (permission denied)");
    }

    @Test
    void givenBinaryGarbage_whenRead_thenItIsRefusedAsNotUtf8() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = (byte) 0xC3; // a UTF-8 lead byte followed by a non-continuation byte: certainly malformed
        junk[1] = 'A';
        Path p = write("junk.csv", junk);
        refused(p, CsvOptions.allColumns(), p + ":1: not UTF-8 text (a binary file?)");
    }

    @Test
    void givenABomCrlfCrAndQuotedCells_whenRead_thenTheValuesAreExact() throws Exception {
        Path p = write("ok.csv", "\uFEFF\"a\",b,\"note\"\r\n\"1.5\",2,\"x, \"\"quoted\"\"\"\r3,4,y\r\n");
        Table t = CsvReader.read(p, CsvOptions.withLabel(null, Set.of("note")));
        assertThat(t.columns()).containsExactly("a", "b");
        assertThat(t.values()).containsExactly(1.5f, 2f, 3f, 4f);
        Path open = write("open.csv", "a,b\n\"1,2\n");
        refused(open, CsvOptions.allColumns(), open + ":2: unterminated quoted cell");
        Path after = write("after.csv", "a,b\n\"1\"x,2\n");
        refused(after, CsvOptions.allColumns(), after + ":2: text after a closing quote in cell 1");
    }

    @Test
    void givenGzipThatIsTruncatedDamagedOrNotGzip_whenRead_thenTheGzipIsBlamedOrThePlainTextRead() throws Exception {
        StringBuilder text = new StringBuilder("a,b\n");
        for (int i = 0; i < 20_000; i++) {
            text.append(i).append(',').append(i % 7).append('\n');
        }
        byte[] gz = gzip(text.toString());
        Path truncated = write("t.csv.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> CsvReader.read(truncated, CsvOptions.allColumns())).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(truncated + ":").hasMessageContaining("damaged or truncated gzip data");
        byte[] damaged = gz.clone();
        for (int i = 40; i < 80; i++) {
            damaged[i] = (byte) 0xFF;
        }
        Path broken = write("d.csv.gz", damaged);
        assertThatThrownBy(() -> CsvReader.read(broken, CsvOptions.allColumns())).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("gzip data");
        Path magicOnly = write("m.csv.gz", new byte[] {0x1f, (byte) 0x8b, 8});
        assertThatThrownBy(() -> CsvReader.read(magicOnly, CsvOptions.allColumns())).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(magicOnly + ": damaged gzip data");
        // A .gz name does not make a file gzip: the magic bytes decide, so plain text named .csv.gz is read as text.
        Path plain = write("plain.csv.gz", "a,b\n1,2\n");
        assertThat(CsvReader.read(plain, CsvOptions.allColumns()).values()).containsExactly(1f, 2f);
        Path whole = write("whole.csv.gz", gz);
        assertThat(CsvReader.read(whole, CsvOptions.allColumns()).rows()).isEqualTo(20_000);
    }

    @Test
    void givenALineWithoutBreaksLongerThanTheLimit_whenRead_thenItIsRefusedBeforeBuffering() throws Exception {
        byte[] big = new byte[CsvReader.MAX_LINE_CHARS + 10];
        Arrays.fill(big, (byte) '1');
        Path p = write("long.csv", big);
        refused(p, CsvOptions.allColumns(), p + ":1: line longer than " + CsvReader.MAX_LINE_CHARS
                + " characters (not a CSV file, or no line breaks?)");
    }

    @Test
    void givenControlCharactersInACell_whenRefused_thenTheMessageStaysOnePrintableLine() throws Exception {
        Path p = write("ctl.csv", "a\n1\u0007\u001b[2J\n");
        refused(p, CsvOptions.allColumns(), p + ":2: column 1 'a': '1\\u0007\\u001b[2J' is not a number");
    }

    @Test
    void givenBadArrays_whenMadeIntoATable_thenRowAndColumnAreNamed() {
        List<String> cols = List.of("a", "b");
        assertThatThrownBy(() -> Table.of(cols, new double[][] {{1, 2}, null}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Row 1 is null");
        assertThatThrownBy(() -> Table.of(cols, new double[][] {{1, 2}, {3}}, null))
                .hasMessage("Row 1 has 1 values, expected 2");
        assertThatThrownBy(() -> Table.of(cols, new double[][] {{1, Double.NaN}}, null))
                .hasMessage("Row 0, column 1 'b': value NaN is not a finite float32 number (NaN and infinity are not allowed)");
        assertThatThrownBy(() -> Table.of(cols, new double[][] {{1e300, 0}}, null))
                .hasMessageStartingWith("Row 0, column 0 'a': value 1.0E300 is not a finite float32");
        assertThatThrownBy(() -> Table.of(cols, new float[][] {{1, Float.POSITIVE_INFINITY}}, null))
                .hasMessageStartingWith("Row 0, column 1 'b': value Infinity");
        assertThatThrownBy(() -> Table.of(cols, new float[][] {{1, 2}}, new int[] {0, 1}))
                .hasMessage("Expected 1 labels, got 2");
        assertThatThrownBy(() -> Table.of(List.of(), new float[0][], null))
                .hasMessage("A table needs at least one column, got none");
        Table ok = Table.of(cols, new float[][] {{1, 2}, {3, 4}}, new int[] {0, 1});
        assertThat(ok.values()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(ok.source()).isEqualTo("float[][]");
    }
}
