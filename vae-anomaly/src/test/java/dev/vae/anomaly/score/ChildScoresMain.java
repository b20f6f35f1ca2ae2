package dev.vae.anomaly.score;

import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.kernel.Simd;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Child process of {@link SimdFallbackParityTest}: scores a CSV with a model file in a JVM of its own (started
 * without the Vector API module, or with a vector width other than the parent's) and writes the element kernels'
 * name, then the negative ELBO at z = mu, the 4-sample negative ELBO and the 8-sample IWAE score of every row, as
 * doubles.
 */
public final class ChildScoresMain {

    private ChildScoresMain() {
    }

    /** Arguments: model file, CSV (label column {@code label}), output file. */
    public static void main(String[] args) throws IOException {
        VaeModel model = ModelFile.read(Path.of(args[0]));
        Table t = CsvReader.read(Path.of(args[1]), CsvOptions.withLabel("label", Set.of()));
        double[] zMu = new Scorer(model, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0)).score(t.values(), t.rows());
        double[] sampled = new Scorer(model, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 4)).score(t.values(), t.rows());
        double[] iwae = new Scorer(model, new ScoreSettings(ScoreKind.IWAE, 8)).score(t.values(), t.rows());
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[2])))) {
            out.writeUTF(Simd.describe());
            out.writeInt(t.rows());
            for (int i = 0; i < t.rows(); i++) {
                out.writeDouble(zMu[i]);
                out.writeDouble(sampled[i]);
                out.writeDouble(iwae[i]);
            }
        }
    }
}
