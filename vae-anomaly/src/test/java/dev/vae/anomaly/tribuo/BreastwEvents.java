package dev.vae.anomaly.tribuo;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.function.IntPredicate;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** The shared breastw rows (label 0 benign = expected, else malignant = anomalous) as Tribuo anomaly examples. */
final class BreastwEvents {

    /** A fixed creation time: a data set's provenance holds it, and so do the model bits trained on it. */
    static final OffsetDateTime CREATED = OffsetDateTime.parse("2025-01-01T00:00:00Z");

    private BreastwEvents() {
    }

    /** The breastw table; "label" is not a feature. Skips the test when the shared data is absent (not in CI). */
    static Table table() {
        try {
            return CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty anomaly data set with a fixed creation time. */
    static MutableDataset<Event> dataset(String description) {
        AnomalyFactory factory = new AnomalyFactory();
        return new MutableDataset<>(new SimpleDataSourceProvenance(description, CREATED, factory), factory);
    }

    /** Row {@code row} with only the columns {@code keep} accepts (the others absent), labelled by the table. */
    static ArrayExample<Event> example(Table t, int row, IntPredicate keep) {
        ArrayExample<Event> e = new ArrayExample<>(t.labels()[row] == 0 ? AnomalyFactory.EXPECTED_EVENT
                : AnomalyFactory.ANOMALOUS_EVENT);
        for (int j = 0; j < t.width(); j++) {
            if (keep.test(j)) {
                e.add(t.columns().get(j), t.values()[row * t.width() + j]);
            }
        }
        return e;
    }

    /**
     * Row {@code row} as a naturally sparse example: breastw's cell scores run from 1 to 10, so each is shifted
     * down by 1 and the zeros are left out, as Tribuo's sparse examples leave them. A row of zeros keeps one
     * explicit 0: Tribuo refuses an example with no feature.
     */
    static ArrayExample<Event> shiftedSparse(Table t, int row) {
        ArrayExample<Event> e = new ArrayExample<>(t.labels()[row] == 0 ? AnomalyFactory.EXPECTED_EVENT
                : AnomalyFactory.ANOMALOUS_EVENT);
        for (int j = 0; j < t.width(); j++) {
            float shifted = t.values()[row * t.width() + j] - 1;
            if (shifted != 0) {
                e.add(t.columns().get(j), shifted);
            }
        }
        if (e.size() == 0) {
            e.add(t.columns().get(0), 0.0);
        }
        return e;
    }

    /** Row {@code row} with every column, those {@code keep} rejects set to an explicit 0. */
    static ArrayExample<Event> zeroFilled(Table t, int row, IntPredicate keep) {
        ArrayExample<Event> e = example(t, row, j -> true);
        for (int j = 0; j < t.width(); j++) {
            if (!keep.test(j)) {
                e.set(new Feature(t.columns().get(j), 0.0));
            }
        }
        return e;
    }
}
