package dev.vae.train;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.nn.BatchLoss;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeObjective;
import dev.vae.core.nn.Workspace;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Not a test: a command-line check of density quality, run by hand after a long training run. Prints the mean
 * negative ELBO per row of a model on a labelled CSV (label column {@code digit} by default) at z = mu and with one
 * sampled z per row (N(0, I) noise from a fixed seed), with its reconstruction and KL parts, in nats.
 *
 * <p>Usage: {@code java -cp ... dev.vae.train.MnistEvaluation MODEL DATA.csv.gz [LABEL_COLUMN]}.
 */
public final class MnistEvaluation {

    private static final int CHUNK = 500;

    private MnistEvaluation() {
    }

    /** Runs the evaluation; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        VaeModel model = ModelFile.read(Path.of(args[0]));
        Table t = CsvReader.read(Path.of(args[1]), CsvOptions.withLabel(args.length > 2 ? args[2] : "digit", Set.of()));
        NativeNetwork net = model.nativeNetwork();
        VaeObjective objective = net.objective();
        float[] params = net.parameters();
        float[] x = model.toModelSpace(t.values(), t.rows());
        int d = t.width();
        int k = model.latentDim();
        Workspace ws = objective.workspace(CHUNK);
        NormalSampler noise = new NormalSampler(20_260_101L);
        float[] eps = new float[CHUNK * k];
        BatchLoss mean = new BatchLoss(0, 0, 0);
        BatchLoss sampled = new BatchLoss(0, 0, 0);
        for (int start = 0; start < t.rows(); start += CHUNK) {
            int n = Math.min(CHUNK, t.rows() - start);
            mean = mean.plus(objective.loss(params, x, start * d, n, null, ws, null, null));
            noise.fill(eps, 0, n * k);
            sampled = sampled.plus(objective.loss(params, x, start * d, n, eps, ws, null, null));
        }
        System.out.printf(Locale.ROOT, "%s on %d rows of %s%n", model.architecture().describe(), t.rows(), args[1]);
        System.out.printf(Locale.ROOT, "z = mu:      negative ELBO %.3f  (reconstruction %.3f + KL %.3f) nats/row%n",
                mean.meanLoss(1.0), mean.meanReconstruction(), mean.meanKl());
        System.out.printf(Locale.ROOT, "one sampled z: negative ELBO %.3f  (reconstruction %.3f + KL %.3f) nats/row%n",
                sampled.meanLoss(1.0), sampled.meanReconstruction(), sampled.meanKl());
    }
}
