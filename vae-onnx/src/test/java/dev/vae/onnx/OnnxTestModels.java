package dev.vae.onnx;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Small models trained on the shared data, for the export and import tests. */
public final class OnnxTestModels {

    private OnnxTestModels() {
    }

    /**
     * A model trained for two epochs (seed 7, hidden layers 24 and 12, latent width 4) on the shared data set
     * {@code set}, with a threshold at its training scores' 0.75 quantile.
     */
    public static VaeModel train(String set, String likelihood, ModelType type) throws Exception {
        return train(set, likelihood, type, 1);
    }

    /**
     * As {@link #train(String, String, ModelType)}, an ensemble of {@code members} networks trained on one validation
     * split ({@code TrainingConfig.Builder#members}); its threshold is at the quantile of the ensemble's scores.
     */
    public static VaeModel train(String set, String likelihood, ModelType type, int members) throws Exception {
        Table table = CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"),
                CsvOptions.withLabel("label", Set.of()));
        TrainingConfig config = TrainingConfig.defaults().withEpochs(2).withSeed(7)
                .withArchitecture(List.of(24, 12), 4, Likelihoods.parse(likelihood), type)
                .toBuilder().members(members).build();
        VaeModel model = new VaeTrainer(config).fit(table).model();
        double[] scores = new Scorer(model, ScoreSettings.defaults()).score(table.values(), table.rows());
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        // A threshold inside the score range, so that the flag takes both values.
        return model.toBuilder().threshold(new Threshold(sorted[sorted.length * 3 / 4], "quantile:0.75", "test", ScoreSettings.defaults())).build();
    }
}
