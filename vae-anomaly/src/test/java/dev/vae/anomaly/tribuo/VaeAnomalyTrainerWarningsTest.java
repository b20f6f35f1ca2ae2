package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

/** What the Tribuo trainer logs about a fit, as {@code vae train} prints it. */
class VaeAnomalyTrainerWarningsTest {

    /** A seed whose validation split of sonar's rows gives the default threshold a majority above it. */
    private static final long SEED = 1L;

    @Test
    void givenSonarsFewValidationRows_whenTheDefaultThresholdLeavesMostAboveIt_thenTheTrainerLogsTheWarning()
            throws Exception {
        Table sonar = CsvReader.read(SharedData.require("data/sonar/sonar.csv"), CsvOptions.withLabel("label", Set.of()));
        MutableDataset<Event> data = BreastwEvents.dataset("sonar");
        for (int i = 0; i < sonar.rows(); i++) {
            data.add(BreastwEvents.example(sonar, i, j -> true));
        }

        List<LogRecord> records = LogRecords.during(VaeAnomalyTrainer.class,
                () -> new VaeAnomalyTrainer(SEED).train(data));

        assertThat(records).filteredOn(r -> r.getMessage().contains("rows the threshold was fitted on lie above it"))
                .singleElement().satisfies(r -> {
                    assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                    assertThat(r.getMessage()).contains("(split)").contains("contamination:C");
                });
    }
}
