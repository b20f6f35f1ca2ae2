package dev.vae.cli;

import dev.vae.cli.SharedOptions.ModelOption;
import dev.vae.cli.report.ImageGrid;
import dev.vae.core.VaeModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae sample}: generates new rows from the model. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate new rows: draw z ~ N(0, I) and decode it. Output: a CSV with the model's column names in raw "
                + "units, or, for image data (a square number of pixel columns) and an --out ending in .png, a grid of images.",
                "An ensemble (vae train --ensemble N) draws from the mixture of its members: row i from member i mod N."})
final class SampleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOption modelFile;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many rows to generate.")
    int count;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--draw", description = "Draw each row from the likelihood instead of taking its mean.")
    boolean draw;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .csv, or .png for a picture grid of image rows.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 10_000_000) {
            throw new IllegalArgumentException("Invalid --count: " + count + " (expected 1..10000000)");
        }
        VaeModel model = modelFile.read();
        float[] rows = model.generate(count, seed, draw);
        int d = model.inputDim();
        if (out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            int side = ImageGrid.side(d);
            if (side < 0) {
                throw new IllegalArgumentException("A .png grid needs image rows (a square number of columns such as 784); "
                        + "this model has " + d + " columns: write a .csv instead");
            }
            ImageGrid.write(rows, count, side, (int) Math.ceil(Math.sqrt(count)), out);
            return 0;
        }
        List<String> names = model.featureNames();
        CsvOutput.write(out, w -> {
            w.write(String.join(",", names));
            w.write('\n');
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < d; j++) {
                    if (j > 0) {
                        w.write(',');
                    }
                    w.write(Float.toString(rows[i * d + j]));
                }
                w.write('\n');
            }
        });
        return 0;
    }
}
