package dev.vae.cli;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.train.data.CsvOptions;
import dev.vae.train.data.CsvReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae score}: scores every row of a CSV file, streaming, in constant memory. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score every row of a CSV file (streamed, any size). Output CSV: row,score,anomaly. "
                + "Scores are in nats; higher = more anomalous.")
final class ScoreCommand implements Callable<Integer> {

    private static final int CHUNK = 4096;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model written by 'vae train'.")
    Path modelPath;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV with the model's feature columns (by header name; other columns are ignored).")
    Path data;

    @Option(names = "--score", paramLabel = "NAME", description = "negative-elbo or reconstruction (default: the model's, normally negative-elbo).")
    String score;

    @Option(names = "--samples", paramLabel = "L", description = "Latent samples per row; 0 = deterministic z = mu (default: the model's, normally 0).")
    Integer samples;

    @Option(names = "--out", paramLabel = "FILE", description = "Output CSV (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        VaeModel model = ModelFile.read(modelPath);
        ScoreSettings s = model.scoreSettings();
        ScoreSettings settings = new ScoreSettings(score == null ? s.kind() : ScoreKind.parse(score),
                samples == null ? s.samples() : samples);
        Scorer scorer = new Scorer(model, settings);
        Threshold threshold = model.threshold();
        int d = model.inputDim();
        try (CsvReader reader = CsvReader.open(data, CsvOptions.forColumns(model.featureNames(), null))) {
            CsvOutput.write(out, w -> {
                w.write("row,score,anomaly\n");
                float[] values = new float[CHUNK * d];
                double[] scores = new double[CHUNK];
                long row = 0;
                int n;
                while ((n = reader.read(values, null, CHUNK)) > 0) {
                    scorer.score(values, 0, n, scores, 0);
                    for (int i = 0; i < n; i++) {
                        w.write(Long.toString(row++));
                        w.write(',');
                        w.write(Double.toString(scores[i]));
                        w.write(',');
                        if (threshold != null) {
                            w.write(threshold.isAnomalous(scores[i]) ? '1' : '0');
                        }
                        w.write('\n');
                    }
                }
            });
        }
        return 0;
    }
}
