package dev.vae.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PeriodicityTest {

    @Test
    void givenRamp_whenAutocorrelation_thenHandValues() {
        // x = 1..4, mean 2.5, centred (-1.5, -0.5, 0.5, 1.5), sum of squares 5.
        // lag 1: 0.75 - 0.25 + 0.75 = 1.25 -> 0.25; lag 2: -0.75 - 0.75 = -1.5 -> -0.3; lag 3: -2.25 -> -0.45.
        double[] r = Periodicity.autocorrelation(new double[] {1, 2, 3, 4}, 3);
        assertThat(r).containsExactly(new double[] {1, 0.25, -0.3, -0.45}, within(1e-15));
    }

    @Test
    void givenSineOfPeriod50_whenPeriod_then50() {
        // r(k) is about (1 - k/n) cos(2 pi k / 50): peaks at 50, 100, ..., the first the highest.
        assertThat(Periodicity.period(sine(3000, 50, 0, 1))).isEqualTo(50);
    }

    @Test
    void givenNoisySineOfPeriod24_whenPeriod_then24() {
        assertThat(Periodicity.period(sine(2000, 24, 0.5, 7))).isEqualTo(24);
    }

    @Test
    void givenSineOfPeriod350_whenPeriod_thenFallbackUnlessTheBoundsAdmitIt() {
        double[] values = sine(4000, 350, 0, 1);
        // The highest peak, 350, lies beyond 303: TSB-AD falls back to 125.
        assertThat(Periodicity.period(values)).isEqualTo(125);
        assertThat(Periodicity.period(values, 6, 400, 125)).isEqualTo(350);
        assertThat(Periodicity.period(values, 6, 300, 77)).isEqualTo(77);
    }

    @Test
    void givenSineOfPeriod5_whenPeriod_thenTheHighestPeakBelowTheRangeGivesTheFallback() {
        // Peaks at 5, 10, 15, ... are all in the search, 5 is the highest and lies below 6: the fallback, not 10.
        double[] values = sine(3000, 5, 0, 1);
        assertThat(Periodicity.period(values)).isEqualTo(125);
        assertThat(Periodicity.period(values, 4, 303, 125)).isEqualTo(5);
    }

    @Test
    void givenConstantOrShortSeries_whenPeriod_thenFallback() {
        assertThat(Periodicity.period(new double[500])).isEqualTo(125);
        assertThat(Periodicity.autocorrelation(new double[] {3, 3, 3}, 2)).containsOnly(Double.NaN);
        assertThat(Periodicity.period(new double[] {1, 2, 1, 2, 1})).isEqualTo(125);
        assertThat(Periodicity.period(new double[] {4})).isEqualTo(125);
    }

    @Test
    void givenLongSeries_whenPeriod_thenOnlyTheFirstPointsCount() {
        // 20,000 points of period 40, then 20,000 of period 90: only the first part is seen.
        double[] head = sine(20_000, 40, 0, 1);
        double[] tail = sine(20_000, 90, 0, 1);
        double[] values = new double[40_000];
        System.arraycopy(head, 0, values, 0, head.length);
        System.arraycopy(tail, 0, values, head.length, tail.length);
        assertThat(Periodicity.period(values)).isEqualTo(40);
        assertThat(Periodicity.period(tail)).isEqualTo(90);
    }

    @Test
    void givenBadInput_whenPeriod_thenIllegalArgumentNamingIt() {
        assertThatThrownBy(() -> Periodicity.period(new double[] {1, Double.NaN, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Value 1");
        assertThatThrownBy(() -> Periodicity.period(new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Periodicity.period(new double[10], 8, 6, 125))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8..6");
        assertThatThrownBy(() -> new Periodicity.Rule(6, 303, 125, 303, 20_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum lag: 303");
        assertThatThrownBy(() -> Periodicity.autocorrelation(new double[] {1, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..1");
    }

    @Test
    void givenTheNabSeries_whenPeriod_thenTheWindowsOfTheBaselineTable() throws IOException {
        Path doc = SharedData.require("data/NAB-BASELINES.md");
        Map<String, Integer> expected = new TreeMap<>();
        // Rows of the per-series table: "| <series> | <window> | ...".
        Pattern row = Pattern.compile("^\\| (\\w[\\w.-]*__[\\w.-]+) \\| (\\d+) \\|");
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                expected.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        Map<String, Integer> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(SharedData.require("data/nab/artificialWithAnomaly__art_daily_jumpsup.csv")
                .getParent())) {
            for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
                actual.put(name, Periodicity.period(values(csv)));
            }
        }
        assertThat(actual).hasSize(29);
        assertThat(actual).isEqualTo(expected);
    }

    /** The value column of a NAB series (float32, as CsvReader reads every feature; the periods do not move). */
    private static double[] values(Path csv) throws IOException {
        Table t = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of("timestamp")));
        double[] v = new double[t.rows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.values()[i];
        }
        return v;
    }

    private static double[] sine(int n, double period, double noise, long seed) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = Math.sin(2 * Math.PI * t / period) + noise * random.nextGaussian();
        }
        return v;
    }
}
