package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void givenALabelColumn_whenRead_thenItIsNeverAFeature() throws Exception {
        Path p = write("a.csv", "id,a,b,label\nx1,1,2.5,0\n\"x,2\",3,-4e-1,1\n");
        Table t = CsvReader.read(p, CsvOptions.withLabel("label", Set.of("id")));
        assertThat(t.columns()).containsExactly("a", "b");
        assertThat(t.values()).containsExactly(1f, 2.5f, 3f, -0.4f);
        assertThat(t.labels()).containsExactly(0, 1);
    }

    @Test
    void givenModelColumns_whenReadFromAFileWithOtherColumnsInAnotherOrder_thenTheyAreTakenByName() throws Exception {
        Path p = write("b.csv", "b,zzz,a\n2,hello,1\n4,world,3\n");
        Table t = CsvReader.read(p, CsvOptions.forColumns(List.of("a", "b"), null));
        assertThat(t.values()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void givenBadCells_whenRead_thenTheErrorNamesFileLineAndColumn() throws Exception {
        Path nonNumeric = write("c.csv", "a,b\n1,2\n3,abc\n");
        assertThatThrownBy(() -> CsvReader.read(nonNumeric, CsvOptions.allColumns()))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(nonNumeric + ":3")
                .hasMessageContaining("'b'").hasMessageContaining("abc");
        Path nan = write("d.csv", "a,b\n1,NaN\n");
        assertThatThrownBy(() -> CsvReader.read(nan, CsvOptions.allColumns())).hasMessageContaining(":2")
                .hasMessageContaining("finite");
        Path ragged = write("e.csv", "a,b\n1,2,3\n");
        assertThatThrownBy(() -> CsvReader.read(ragged, CsvOptions.allColumns())).hasMessageContaining(":2")
                .hasMessageContaining("3 cells");
        Path empty = write("f.csv", "");
        assertThatThrownBy(() -> CsvReader.read(empty, CsvOptions.allColumns())).hasMessageContaining("empty file");
        Path headerOnly = write("g.csv", "a,b\n");
        assertThatThrownBy(() -> CsvReader.read(headerOnly, CsvOptions.allColumns())).hasMessageContaining("no data rows");
        Path p = write("h.csv", "a,b\n1,2\n");
        assertThatThrownBy(() -> CsvReader.read(p, CsvOptions.forColumns(List.of("a", "c"), null)))
                .hasMessageContaining("missing column c");
        assertThatThrownBy(() -> CsvReader.read(p, CsvOptions.withLabel("label", Set.of())))
                .hasMessageContaining("label column 'label' not found");
    }

    @Test
    void givenGzippedMnist_whenStreamed_thenRowsHave784PixelsAndADigitLabel() throws Exception {
        Path p = SharedData.require("data/mnist/mnist_test.csv.gz");
        try (CsvReader r = CsvReader.open(p, CsvOptions.withLabel("digit", Set.of()))) {
            assertThat(r.featureColumns()).hasSize(784);
            float[] v = new float[10 * 784];
            int[] l = new int[10];
            assertThat(r.read(v, l, 10)).isEqualTo(10);
            assertThat(l[0]).isEqualTo(7);
            float max = 0;
            for (float f : v) {
                max = Math.max(max, f);
            }
            assertThat(max).isEqualTo(255f);
        }
    }
}
