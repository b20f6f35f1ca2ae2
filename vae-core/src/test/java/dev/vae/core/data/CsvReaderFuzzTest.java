package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vae.core.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link CsvReader}: random text from a CSV-flavoured alphabet, random bytes, mutations of a real data set
 * (pima) and gzip streams (whole, truncated, damaged). For every input the reader must return a table or throw a
 * {@link DataFormatException} whose message names the source; any other exception, an {@link OutOfMemoryError} or a
 * hang fails. Seeded, so a failure replays; the counts are printed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang detector only; the budget below runs in a few seconds
class CsvReaderFuzzTest {

    private static final String[] TOKENS = {"0", "1", "7", "-", "+", ".", "e", "E", "5e3", "1e39", "NaN", "inf", "Infinity",
        ",", ",", ",", "\"", "\"\"", "\n", "\n", "\r\n", "\r", " ", "\t", "label", "a", "b", "x", "\uFEFF", "\u0000", "é", "0x1p3",
        "1d", "--1", "1_000", "١"};

    private static final List<CsvOptions> OPTIONS = List.of(CsvOptions.allColumns(),
            CsvOptions.withLabel("label", Set.of()), CsvOptions.forColumns(List.of("a", "b"), null),
            CsvOptions.withLabel(null, Set.of("x")));

    private int tables;
    private int refused;

    private void read(byte[] bytes, CsvOptions options, String what) {
        try {
            try (CsvReader r = CsvReader.open(new ByteArrayInputStream(bytes), "fuzz.csv", options)) {
                Table t = r.readAll();
                assertThat(t.rows()).isPositive();
                for (float v : t.values()) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
            tables++;
        } catch (DataFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz.csv").doesNotContain("\n");
            refused++;
        } catch (Throwable t) {
            fail(what + " with " + options + ": " + t, t);
        }
    }

    private static String tokens(SplittableRandom random, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        return b.toString();
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void givenRandomCsvFlavouredText_whenRead_thenATableOrADataFormatExceptionComesOut() {
        SplittableRandom random = new SplittableRandom(21);
        int runs = 8_000;
        for (int i = 0; i < runs; i++) {
            StringBuilder text = new StringBuilder(random.nextInt(4) == 0 ? tokens(random, 4) : "a,b,label,x");
            for (int row = random.nextInt(6); row > 0; row--) {
                text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
                for (int c = 0; c < 4; c++) {
                    if (c > 0) {
                        text.append(',');
                    }
                    // Mostly well-formed numbers, so that rows get past the first cell often enough to matter.
                    text.append(random.nextInt(12) == 0 ? tokens(random, 1 + random.nextInt(3))
                            : random.nextInt(3) == 0 ? Integer.toString(random.nextInt(2))
                            : Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 4)));
                }
            }
            read(text.toString().getBytes(StandardCharsets.UTF_8), OPTIONS.get(i % OPTIONS.size()), "text #" + i);
        }
        System.out.printf("CsvReaderFuzzTest: %d random texts: %d tables, %d refused%n", runs, tables, refused);
        assertThat(tables).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void givenRandomBytes_whenRead_thenOnlyDataFormatExceptionComesOut() {
        SplittableRandom random = new SplittableRandom(22);
        int runs = 4_000;
        for (int i = 0; i < runs; i++) {
            byte[] junk = new byte[random.nextInt(1500)];
            random.nextBytes(junk);
            read(junk, OPTIONS.get(i % OPTIONS.size()), "bytes #" + i);
        }
        System.out.printf("CsvReaderFuzzTest: %d random byte strings: %d tables, %d refused%n", runs, tables, refused);
        assertThat(refused).isPositive();
    }

    @Test
    void givenMutationsOfARealDataSetPlainAndGzipped_whenRead_thenATableOrADataFormatExceptionComesOut() throws Exception {
        byte[] pima = Files.readAllBytes(SharedData.require("data/pima/pima.csv"));
        int end = 3000;
        while (pima[end - 1] != '\n') {
            end--;
        }
        byte[] head = Arrays.copyOf(pima, end); // the header and whole rows: enough structure, fast to reread
        SplittableRandom random = new SplittableRandom(23);
        int runs = 1_500;
        int gzipped = 0;
        for (int i = 0; i < runs; i++) {
            byte[] p = head.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(p.length);
                p[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) ",\"\n\r.-eN0"
                        .charAt(random.nextInt(9));
            }
            if (i % 5 == 0) {
                byte[] gz = gzip(p);
                int cut = random.nextInt(3);
                if (cut == 1) {
                    gz = Arrays.copyOf(gz, random.nextInt(gz.length)); // truncated
                } else if (cut == 2) {
                    gz[10 + random.nextInt(gz.length - 10)] ^= (byte) (1 + random.nextInt(255)); // damaged
                }
                p = gz;
                gzipped++;
            }
            read(p, i % 2 == 0 ? CsvOptions.withLabel("label", Set.of()) : CsvOptions.allColumns(), "mutation #" + i);
        }
        System.out.printf("CsvReaderFuzzTest: %d pima mutations (%d gzipped): %d tables, %d refused%n", runs, gzipped,
                tables, refused);
        assertThat(tables).isPositive();
        assertThat(refused).isPositive();
    }
}
