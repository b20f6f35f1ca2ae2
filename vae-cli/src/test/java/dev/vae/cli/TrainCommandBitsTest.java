package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.io.ModelFile;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.core.testing.RecordedLines;
import dev.vae.core.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vae train} gives the thresholds, scores, model bits and closing line it gave before its training and
 * threshold fitting moved to {@code Detector.builder()}: the expected lines ({@code train-bits.txt}) were recorded
 * with the code before that change. The thread count is given, and the model is small enough (8 hidden units,
 * batches of 32) that no matrix product reaches the native BLAS, so the bits are the same on every machine (checked
 * with {@code -Dvae.kernels=java}). The data file's path is replaced by {@code DATA}.
 */
class TrainCommandBitsTest {

    @TempDir
    Path dir;

    @Test
    void givenBreastwAndASeed_whenTrainedWithEachKindOfThreshold_thenThresholdScoresModelAndSummaryAreTheRecordedOnes()
            throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Table rows = CsvReader.read(data, CsvOptions.withLabel("label", Set.of()));
        List<String> actual = new ArrayList<>();
        for (String[] options : List.of(new String[] {"--threads", "1"},
                new String[] {"--threads", "1", "--threshold", "f1"},
                new String[] {"--threads", "2", "--threshold", "pot:0.01:0.8", "--trim", "0.1"})) {
            Path out = dir.resolve("m" + actual.size() + ".vae");
            List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--label-column", "label",
                    "--hidden", "8", "--latent", "2", "--batch", "32", "--epochs", "4", "--trim-warmup", "2",
                    "--seed", "7", "--out", out.toString()));
            args.addAll(Arrays.asList(options));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            String[] err = r.errLines();
            actual.add(line(ModelFile.read(out), rows, data.toString()) + " said "
                    + err[err.length - 1].replace(data.toString(), "DATA").replace(out.toString(), "OUT"));
        }
        assertThat(actual).isEqualTo(RecordedLines.of(getClass(), "train-bits.txt", "train"));
    }

    /** Threshold, properties, three scores and the fingerprint of the model with the data's path replaced. */
    static String line(VaeModel model, Table rows, String dataPath) {
        Threshold t = model.threshold();
        VaeModel portable = model.toBuilder()
                .threshold(new Threshold(t.value(), t.method(), t.fittedOn().replace(dataPath, "DATA"), t.score()))
                .provenance("data.source", model.provenance().get("data.source").replace(dataPath, "DATA"))
                .build();
        double[] scores = new Scorer(model).score(Arrays.copyOf(rows.values(), 3 * rows.width()), 3);
        return portable.threshold() + " " + portable.properties() + " scores " + Arrays.toString(scores) + " model "
                + ModelFingerprint.of(portable);
    }
}
