package dev.vae.cli;

import dev.vae.anomaly.score.CsvScoring;
import dev.vae.cli.SharedOptions.ModelDataAndColumnsOptions;
import dev.vae.core.VaeModel;
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
        description = {"Encode every row of a CSV file to its latent mean (feature extraction). Output CSV: row,z0..z{K-1}.",
                "An ensemble's members each have their own latent space: encode with one of them (--member M)."})
final class EncodeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ModelDataAndColumnsOptions input;

    @Option(names = "--member", paramLabel = "M", description = "Of an ensemble (vae train --ensemble N), the member"
            + " 1..N whose latent means to write; required for an ensemble (default: the model's one network).")
    Integer member;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output CSV.")
    Path out;

    @Override
    public Integer call() throws Exception {
        VaeModel read = input.read();
        if (dev.vae.core.series.SeriesLayout.of(read).isPresent()) {
            throw new IllegalArgumentException("vae encode takes rows; " + input.modelPath() + " is a time-series model, whose"
                    + " rows are windows (in Java: Windows.table(series, layout, 1), then VaeModel.encode)");
        }
        VaeModel model = encoder(read);
        int k = model.latentDim();
        try (CsvReader reader = input.data().open(CsvOptions.forColumns(model.featureNames(), null))) {
            CsvOutput.write(out, w -> {
                StringBuilder header = new StringBuilder("row");
                for (int j = 0; j < k; j++) {
                    header.append(",z").append(j);
                }
                w.write(header.append('\n').toString());
                long rows = CsvScoring.forEachChunk(reader, (first, n, x, labels) -> {
                    float[] z = model.encode(x, n);
                    for (int i = 0; i < n; i++) {
                        w.write(Long.toString(first + i));
                        for (int j = 0; j < k; j++) {
                            w.write(',');
                            w.write(Float.toString(z[i * k + j]));
                        }
                        w.write('\n');
                    }
                });
                if (rows == 0) {
                    throw new DataFormatException(input.dataPath() + ": no data rows after the header");
                }
            });
        }
        return 0;
    }

    /**
     * The model whose latent means are written: the model itself, or of an ensemble the {@code --member} asked for.
     *
     * @throws IllegalArgumentException for an ensemble without {@code --member}, or a member it does not have
     */
    private VaeModel encoder(VaeModel model) {
        int members = model.memberCount();
        if (member == null) {
            if (members > 1) {
                throw new IllegalArgumentException(input.modelPath() + " is an ensemble of " + members + " networks,"
                        + " each with its own latent space: choose the one to encode with --member M (1.." + members + ")");
            }
            return model;
        }
        if (member < 1 || member > members) {
            throw new IllegalArgumentException("Invalid --member: " + member + " (expected 1.." + members + ": "
                    + input.modelPath() + (members == 1 ? " is one network)" : " is an ensemble of " + members + ")"));
        }
        return model.member(member - 1);
    }
}
