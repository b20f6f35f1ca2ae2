package dev.vae.anomaly.golden;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Writes the golden model files that {@code GoldenModelFilesTest} reads back: one small model per likelihood and
 * model type, trained on breastw, each with the scores this build gives the first {@link #ROWS} rows. Run once per
 * released model-file format version, into {@code src/test/resources/golden/v<N>/}, and never again for that
 * version: the files are the record of what a file of that version means.
 *
 * <p>{@code java -cp <vae-anomaly test class path> dev.vae.anomaly.golden.GoldenModelFiles OUT_DIR}
 */
public final class GoldenModelFiles {

    /** How many breastw rows each model's recorded scores cover. */
    public static final int ROWS = 60;

    /** The models: file name, likelihood, model type, score settings, threshold strategy. */
    public record Case(String name, String likelihood, ModelType type, ScoreSettings score, String threshold) {
    }

    /** Every golden case. */
    public static final List<Case> CASES = List.of(
            new Case("gaussian-shared-vae", "gaussian-shared", ModelType.VAE, ScoreSettings.defaults(), "split"),
            new Case("gaussian-vae", "gaussian", ModelType.VAE, ScoreSettings.defaults(), "quantile:0.95"),
            new Case("gaussian-fixed-ae", "gaussian-fixed", ModelType.AE, ScoreSettings.defaults(), "sigma:3"),
            new Case("bernoulli-vae", "bernoulli", ModelType.VAE, ScoreSettings.defaults(), "contamination:0.1"),
            new Case("composite-vae", "composite:gaussian-shared[0-4],bernoulli[5-8]", ModelType.VAE,
                    ScoreSettings.defaults(), "quantile:0.9"),
            new Case("gaussian-vae-reconstruction-8", "gaussian", ModelType.VAE,
                    new ScoreSettings(ScoreKind.RECONSTRUCTION, 8), "quantile:0.95"));

    private GoldenModelFiles() {
    }

    /** The breastw rows the golden scores cover. */
    public static Table rows() throws IOException {
        Table all = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        int[] first = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            first[i] = i;
        }
        return all.select(first);
    }

    /** Writes every case's model file and score file into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        Table data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        Table rows = rows();
        for (Case c : CASES) {
            TrainingConfig config = TrainingConfig.defaults().toBuilder().hidden(List.of(16)).latent(2)
                    .likelihood(Likelihoods.parse(c.likelihood())).modelType(c.type()).epochs(15).seed(7).build();
            TrainingResult r = new VaeTrainer(config).fit(data);
            VaeModel model = r.model().toBuilder().scoreSettings(c.score()).build();
            model = DetectorFitting.fitThreshold(model, r.validation(), ThresholdSpec.parse(c.threshold()));
            ModelFile.write(model, out.resolve(c.name() + ".vae"));
            double[] scores = new Scorer(model).score(rows.values(), rows.rows());
            StringBuilder csv = new StringBuilder("row,score\n");
            for (int i = 0; i < scores.length; i++) {
                csv.append(i).append(',').append(scores[i]).append('\n');
            }
            Files.writeString(out.resolve(c.name() + ".scores.csv"), csv, StandardCharsets.UTF_8);
        }
    }
}
