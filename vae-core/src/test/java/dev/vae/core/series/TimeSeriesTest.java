package dev.vae.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.data.DataFormatException;
import dev.vae.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeSeriesTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path p = dir.resolve("s.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void givenDateTimesInEveryAcceptedForm_whenParsed_thenTheyLandOnOneAxisInSeconds() {
        assertThat(Timestamps.parse("2014-07-01 00:30:00")).isEqualTo(1404174600.0);
        assertThat(Timestamps.parse("2014-07-01T00:30:00")).isEqualTo(1404174600.0);
        assertThat(Timestamps.parse("2014-07-01T00:30:00Z")).isEqualTo(1404174600.0);
        assertThat(Timestamps.parse("2014-07-01T02:30:00+02:00")).isEqualTo(1404174600.0);
        assertThat(Timestamps.parse("2014-06-30T19:30:00-05:00")).isEqualTo(1404174600.0);
        assertThat(Timestamps.parse("2014-07-01 00:30")).isEqualTo(1404174600.0);
        assertThat(Timestamps.parse("2014-07-01 00:30:00.250")).isEqualTo(1404174600.25);
        assertThat(Timestamps.parse("2014-07-01")).isEqualTo(1404172800.0);
        assertThat(Timestamps.parse("17")).isEqualTo(17.0);
        assertThat(Timestamps.parse("-2.5")).isEqualTo(-2.5);
        assertThatThrownBy(() -> Timestamps.parse("yesterday")).hasMessageContaining("'yesterday' is not a date-time");
        assertThatThrownBy(() -> Timestamps.parse("2014-13-01 00:00:00")).hasMessageContaining("2014-13-01");
        assertThatThrownBy(() -> Timestamps.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void givenAGapOfThreeSteps_whenRead_thenTwoPointsAreFilledByLinearInterpolationAndMarked() throws Exception {
        Path p = write("t,v,w,label\n0,1,10,0\n60,2,20,0\n240,8,50,1\n300,9,60,0\n");
        // The grid step is the median step, 60; the step of 180 holds two filled points at 1/3 and 2/3.
        TimeSeries s = TimeSeries.read(p, "t", null, "label", Set.of(), Double.NaN, TimeSeries.WHOLE_GAPS);
        assertThat(s.columns()).containsExactly("v", "w");
        assertThat(s.points()).isEqualTo(6);
        assertThat(s.times()).containsExactly(0, 60, 120, 180, 240, 300);
        assertThat(s.values()).containsExactly(1f, 10f, 2f, 20f, 4f, 30f, 6f, 40f, 8f, 50f, 9f, 60f);
        assertThat(s.inputRow()).containsExactly(0, 1, -1, -1, 2, 3);
        assertThat(s.missing()).containsExactly(false, false, false, false, true, true, true, true, false, false, false, false);
        assertThat(s.labels()).containsExactly(0, 0, 0, 0, 1, 0);
        assertThat(s.observedLabels()).containsExactly(0, 0, 1, 0);
        assertThat(s.observedPoints()).isEqualTo(4);
    }

    @Test
    void givenEmptyAndNaNCells_whenRead_thenTheyTakeTheColumnsLastValueAndLeadingOnesItsFirst() throws Exception {
        Path p = write("t,v\n1,\n2,2\n3,NaN\n4,\n5,8\n6,\n");
        TimeSeries s = TimeSeries.read(p, "t", List.of("v"), null, Set.of(), Double.NaN, TimeSeries.WHOLE_GAPS);
        assertThat(s.values()).containsExactly(2f, 2f, 2f, 2f, 8f, 8f);
        assertThat(s.missing()).containsExactly(true, false, true, true, false, true);
        assertThat(s.inputRow()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void givenTheModelsInterval_whenRead_thenTheGridFollowsItRatherThanTheFilesMedian() throws Exception {
        Path p = write("t,v\n0,0\n20,2\n40,4\n");
        TimeSeries s = TimeSeries.read(p, "t", List.of("v"), null, Set.of(), 10, TimeSeries.WHOLE_GAPS);
        assertThat(s.times()).containsExactly(0, 10, 20, 30, 40);
        assertThat(s.values()).containsExactly(0f, 1f, 2f, 3f, 4f);
    }

    @Test
    void givenTimeThatRepeatsOrGoesBack_whenRead_thenEachSuchRowIsTheNextGridStepInInputOrderAndCounted() throws Exception {
        // A clock set back at a daylight-saving change: rows 3 and 4 repeat or precede earlier times.
        TimeSeries s = TimeSeries.read(write("t,v\n0,1\n60,2\n60,3\n30,4\n90,5\n"), "t", null, null, Set.of(),
                60, TimeSeries.WHOLE_GAPS);
        assertThat(s.points()).isEqualTo(5);
        assertThat(s.values()).containsExactly(1f, 2f, 3f, 4f, 5f);
        assertThat(s.inputRow()).containsExactly(0, 1, 2, 3, 4);
        assertThat(s.unorderedRows()).isEqualTo(2);
        assertThatThrownBy(() -> TimeSeries.read(write("t,v\n1,1\nnoon,2\n"), "t", null, null, Set.of(), Double.NaN,
                TimeSeries.WHOLE_GAPS)).isInstanceOf(DataFormatException.class).hasMessageContaining("s.csv:3: column 't'");
        assertThatThrownBy(() -> TimeSeries.read(write("t,v\n1,1\n"), "time", null, null, Set.of(), Double.NaN,
                TimeSeries.WHOLE_GAPS)).isInstanceOf(DataFormatException.class).hasMessageContaining("column 'time' not found");
    }

    @Test
    void givenAGapLongerThanWhatAWindowCanSee_whenReadWithABound_thenOnlyTheFilledPointsAtEachEndAreKeptAtTheirTruePositions()
            throws Exception {
        // Step 1, a gap of 10 steps between t = 1 and t = 11 (9 missing points), two kept at each end.
        TimeSeries s = TimeSeries.read(write("t,v\n0,0\n1,10\n11,110\n12,120\n"), "t", null, null, Set.of(), 1, 2);
        assertThat(s.times()).containsExactly(0, 1, 2, 3, 9, 10, 11, 12);
        assertThat(s.values()).containsExactly(0f, 10f, 20f, 30f, 90f, 100f, 110f, 120f);
        assertThat(s.inputRow()).containsExactly(0, 1, -1, -1, -1, -1, 2, 3);
        assertThat(TimeSeries.fillCount(10, 2)).isEqualTo(4);
        assertThat(TimeSeries.fillCount(4, 2)).isEqualTo(3);
        assertThat(TimeSeries.stepsBetween(-5, 1)).isEqualTo(1);
        assertThat(TimeSeries.stepsBetween(1.4, 1)).isEqualTo(1);
        assertThat(TimeSeries.stepsBetween(2.6, 1)).isEqualTo(3);
    }

    @Test
    void givenAColumnWithoutAnyValueOrAGridOfMostlyGaps_whenRead_thenItIsRefused() throws Exception {
        assertThatThrownBy(() -> TimeSeries.read(write("t,v,w\n1,1,\n2,2,\n"), "t", null, null, Set.of(), Double.NaN, TimeSeries.WHOLE_GAPS))
                .hasMessageContaining("column 'w' has no value at all");
        assertThatThrownBy(() -> TimeSeries.read(write("t,v\n0,1\n1,1\n2,1\n100,1\n"), "t", null, null, Set.of(), Double.NaN, TimeSeries.WHOLE_GAPS))
                .hasMessageContaining("too sparse").hasMessageContaining("largest gap 97 steps");
        assertThat(TimeSeries.read(write("t,v\n0,1\n1,1\n2,1\n100,1\n"), "t", null, null, Set.of(), Double.NaN, 3).points())
                .isEqualTo(10);
    }

    @Test
    void givenASeriesReadOnce_whenRegridded_thenItIsWhatReadingTheFileOnThatGridGives() throws Exception {
        Path p = write("t,v,w,label\n0,1,,0\n60,,20,0\n60,3,21,1\n1260,8,50,1\n1320,NaN,60,0\n1380,9,61,0\n");
        Path nab = SharedData.require("data/nab/realKnownCause__rogue_agent_key_hold.csv");
        for (Path file : List.of(p, nab)) {
            TimeSeries raw = TimeSeries.read(file, file == p ? "t" : "timestamp", null, "label", Set.of(), Double.NaN, 1);
            double step = TimeSeries.medianStep(raw.observedTimes());
            for (int keep : new int[] {1, 3, 200}) {
                TimeSeries expected = TimeSeries.read(file, file == p ? "t" : "timestamp", raw.columns(), "label",
                        Set.of(), step, keep);
                TimeSeries regridded = raw.regrid(step, keep);
                assertThat(regridded.times()).containsExactly(expected.times());
                assertThat(regridded.values()).containsExactly(expected.values());
                assertThat(regridded.missing()).containsExactly(expected.missing());
                assertThat(regridded.inputRow()).containsExactly(expected.inputRow());
                assertThat(regridded.labels()).containsExactly(expected.labels());
                assertThat(regridded.unorderedRows()).isEqualTo(expected.unorderedRows());
                assertThat(regridded.observedColumn(0)).hasSize(raw.observedPoints());
            }
        }
    }

    @Test
    void givenANabSeries_whenRead_thenEveryRowIsAPointOnAFiveMinuteGridAndGapsAreFilled() throws Exception {
        Path nab = SharedData.require("data/nab/realKnownCause__nyc_taxi.csv");
        TimeSeries s = TimeSeries.read(nab, "timestamp", List.of("value"), "label", Set.of(), Double.NaN, TimeSeries.WHOLE_GAPS);
        assertThat(s.observedPoints()).isEqualTo(10320);
        assertThat(TimeSeries.medianStep(s.times())).isEqualTo(1800.0);
        assertThat(s.points()).isEqualTo(10320);
        int anomalies = 0;
        for (int l : s.observedLabels()) {
            anomalies += l;
        }
        assertThat(anomalies).isBetween(1, 10320 / 2);
    }
}
