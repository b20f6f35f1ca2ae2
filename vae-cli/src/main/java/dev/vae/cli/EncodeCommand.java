package dev.vae.cli;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.DataFormatException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae encode}: feature extraction, every row to its latent mean. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Encode every row of a CSV file to its latent mean (feature extraction). Output CSV: row,z0..z{K-1}.")
final class EncodeCommand implements Callable<Integer> {

    private static final int CHUNK = 4096;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model written by 'vae train'.")
    Path modelPath;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV (.csv, .csv.gz, or - for standard input) with the model's feature columns (by header name; by position for a model without column names).")
    Path data;

    @Option(names = "--label-column", paramLabel = "NAME", description = "A label column to leave out; only matters for a model that takes columns by position (default: none).")
    String labelColumn;

    @Option(names = "--drop-columns", split = ",", paramLabel = "A,B", description = "Columns to leave out; only matters for a model that takes columns by position (default: none).")
    java.util.List<String> dropColumns = new java.util.ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output CSV.")
    Path out;

    @Override
    public Integer call() throws Exception {
        VaeModel model = ModelColumns.bind(ModelFile.read(modelPath), data, labelColumn, dropColumns);
        int d = model.inputDim();
        int k = model.latentDim();
        try (CsvReader reader = ScoreMeters.open(data, CsvOptions.forColumns(model.featureNames(), null))) {
            CsvOutput.write(out, w -> {
                StringBuilder header = new StringBuilder("row");
                for (int j = 0; j < k; j++) {
                    header.append(",z").append(j);
                }
                w.write(header.append('\n').toString());
                float[] values = new float[CHUNK * d];
                long row = 0;
                int n;
                while ((n = reader.read(values, null, CHUNK)) > 0) {
                    float[] z = model.encode(java.util.Arrays.copyOf(values, n * d), n);
                    for (int i = 0; i < n; i++) {
                        w.write(Long.toString(row++));
                        for (int j = 0; j < k; j++) {
                            w.write(',');
                            w.write(Float.toString(z[i * k + j]));
                        }
                        w.write('\n');
                    }
                }
                if (row == 0) {
                    throw new DataFormatException(data + ": no data rows after the header");
                }
            });
        }
        return 0;
    }
}
