package dev.vae.anomaly.eval;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A NAB series of the shared data (values and labels) and, for three of them, the reference Sub-PCA scores. */
record NabSeries(String name, double[] values, int[] labels) {

    /** Reads {@code data/nab/<name>.csv} (columns timestamp, value, label). */
    static NabSeries read(String name) throws IOException {
        Table t = CsvReader.read(SharedData.require("data/nab/" + name + ".csv"),
                CsvOptions.withLabel("label", Set.of("timestamp")));
        double[] values = new double[t.rows()];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.values()[i];
        }
        return new NabSeries(name, values, Objects.requireNonNull(t.labels()));
    }

    /**
     * The Sub-PCA scores of {@code data/nab-reference/<name>.sub_pca.scores.csv}, read as doubles: CsvReader's
     * float32 would merge distinct scores (values near 3e7 are 2 apart in float32) and so change the curves.
     */
    double[] referenceScores() throws IOException {
        List<String> lines = Files.readAllLines(SharedData.require("data/nab-reference/" + name + ".sub_pca.scores.csv"));
        if (!lines.get(0).equals("score")) {
            throw new IOException("Unexpected header in the scores of " + name + ": " + lines.get(0));
        }
        double[] scores = lines.stream().skip(1).mapToDouble(Double::parseDouble).toArray();
        if (scores.length != labels.length) {
            throw new IOException(name + ": " + scores.length + " scores for " + labels.length + " points");
        }
        return scores;
    }
}
