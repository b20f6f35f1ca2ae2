package dev.vae.cli;

import dev.vae.core.ModelType;
import dev.vae.core.VaeModel;
import dev.vae.core.io.AtomicFiles;
import dev.vae.core.io.ModelFile;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.train.EpochStats;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingListener;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.train.data.CsvOptions;
import dev.vae.train.data.CsvReader;
import dev.vae.train.data.Table;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae train}: fits a model on a CSV file and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a VAE (or plain autoencoder) on a CSV file of mostly-normal rows and save the model.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data: CSV with a header row (.csv or .csv.gz).")
    Path data;

    @Option(names = "--label-column", paramLabel = "NAME", description = "Column with labels (0 = normal); never used as a feature.")
    String labelColumn;

    @Option(names = "--drop-columns", split = ",", paramLabel = "A,B", description = "Columns to ignore (ids, timestamps).")
    List<String> dropColumns = new ArrayList<>();

    @Option(names = "--normal-only", description = "Train only on rows whose label is 0 (needs --label-column).")
    boolean normalOnly;

    @Option(names = "--model-type", defaultValue = "vae", paramLabel = "vae|ae", description = "Model type (default: ${DEFAULT-VALUE}).")
    String modelType;

    @Option(names = "--likelihood", paramLabel = "NAME",
            description = "bernoulli, gaussian (learned variance) or gaussian-fixed (default: gaussian).")
    String likelihood;

    @Option(names = "--hidden", split = ",", paramLabel = "64,32", description = "Encoder hidden widths; the decoder mirrors them (default: adapts to the data).")
    List<Integer> hidden = new ArrayList<>();

    @Option(names = "--latent", defaultValue = "0", paramLabel = "K", description = "Latent dimension (default: adapts to the data).")
    int latent;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N", description = "Maximum epochs (default: ${DEFAULT-VALUE}; early stopping usually ends sooner).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "0.001", paramLabel = "F", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--beta", defaultValue = "1.0", paramLabel = "F", description = "Weight of the KL term (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation-fraction", defaultValue = "0.1", paramLabel = "F", description = "Share of rows held out for early stopping (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--patience", defaultValue = "10", paramLabel = "N", description = "Epochs without validation improvement before stopping (default: ${DEFAULT-VALUE}; 0 = never).")
    int patience;

    @Option(names = "--history", paramLabel = "FILE.json", description = "Write the per-epoch history as JSON.")
    Path history;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the model.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getErr();
        if (normalOnly && labelColumn == null) {
            throw new IllegalArgumentException("--normal-only needs --label-column");
        }
        TrainingConfig config = new TrainingConfig(hidden, latent, likelihood == null ? null : Likelihoods.parse(likelihood),
                ModelType.parse(modelType), TrainingConfig.defaults().activation(), epochs, batch, learningRate, beta,
                seed, validationFraction, patience);
        Table table = CsvReader.read(data, CsvOptions.withLabel(labelColumn, new HashSet<>(dropColumns)));
        if (normalOnly) {
            table = table.normalOnly();
        }
        log.printf(Locale.ROOT, "training %s on %d rows x %d features from %s%n",
                config.architecture(table.width()).describe(), table.rows(), table.width(), data);
        log.flush();
        VaeTrainer trainer = new VaeTrainer(config).addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                log.printf(Locale.ROOT, "epoch %3d  loss %10.4f  recon %10.4f  kl %8.4f  val %10.4f  %8.0f rows/s  %6.2fs%n",
                        s.epoch(), s.loss(), s.reconstruction(), s.kl(), s.validationLoss(), s.rowsPerSecond(), s.seconds());
                log.flush();
            }
        });
        TrainingResult result = trainer.fit(table);
        VaeModel model = result.model();
        ModelFile.write(model, out);
        if (history != null) {
            writeHistory(result, history);
        }
        log.printf(Locale.ROOT, "%s; kept epoch %d; saved %s%n", result.stopReason(), result.bestEpoch(), out);
        log.flush();
        return 0;
    }

    static void writeHistory(TrainingResult result, Path file) throws java.io.IOException {
        List<Object> epochs = new ArrayList<>();
        for (EpochStats s : result.history()) {
            Map<String, Object> e = Json.object();
            e.put("epoch", s.epoch());
            e.put("loss", s.loss());
            e.put("reconstruction", s.reconstruction());
            e.put("kl", s.kl());
            e.put("validation_loss", s.validationLoss());
            e.put("seconds", s.seconds());
            e.put("rows_per_s", s.rowsPerSecond());
            epochs.add(e);
        }
        Map<String, Object> root = Json.object();
        root.put("epochs", epochs);
        root.put("best_epoch", result.bestEpoch());
        root.put("stop_reason", result.stopReason());
        byte[] bytes = (Json.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, o -> o.write(bytes));
    }

    static Set<String> set(List<String> l) {
        return new HashSet<>(l);
    }
}
