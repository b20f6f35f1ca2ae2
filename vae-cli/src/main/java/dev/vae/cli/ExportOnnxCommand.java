package dev.vae.cli;

import dev.vae.cli.SharedOptions.ModelOption;
import dev.vae.cli.SharedOptions.NoThresholdOption;
import dev.vae.core.VaeModel;
import dev.vae.onnx.export.OnnxExporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae export-onnx}: writes a model's encoder, decoder and whole scorer as ONNX graphs; an ensemble's encoders
 * and decoders member by member ({@link OnnxExporter}).
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a model as ONNX graphs (opset 13, float32, dynamic batch axis, metadata in metadata_props):",
                "  encoder.onnx  x [batch, d] raw features -> mu, logvar [batch, K] (an AE: mu only); the scaler is inside",
                "  decoder.onnx  z [batch, K] -> the likelihood's parameters in model units (logits, probs | mean, logvar |",
                "                location, logscale2 for student-t);",
                "                a composite likelihood: the same per column block, block0_logits, block1_mean, ...",
                "  scorer.onnx   x [batch, d] raw -> score [batch] (negative ELBO at z = mu, nats), "
                        + "feature_scores [batch, d], is_anomaly [batch]",
                "An ensemble (train --ensemble M): scorer.onnx scores as the members' mean;",
                "  each member has its own encoder-member1.onnx, decoder-member1.onnx, ..."})
final class ExportOnnxCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    // The shared --model and --no-threshold (SharedOptions), worded for export-onnx in OptionWording.properties.
    @Mixin
    ModelOption modelFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the .onnx files (created when missing).")
    Path out;

    @Mixin
    NoThresholdOption noThreshold;

    @Override
    public Integer call() throws Exception {
        VaeModel model = modelFile.read();
        if (noThreshold.given) {
            model = model.toBuilder().threshold(null).build();
        }
        List<Path> files = OnnxExporter.write(model, out);
        PrintWriter w = common.out();
        for (Path f : files) {
            w.println(f + " (" + Files.size(f) + " bytes)");
        }
        w.flush();
        return 0;
    }
}
