package dev.vae.core.nn;

import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.kernel.RowParallel;
import dev.vae.core.likelihood.Likelihood;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The native network: an {@link Architecture} and its flat float32 parameters (encoder stack, decoder stack, then
 * the likelihood's own parameters; see {@link DenseStack} and {@link VaeObjective} for the layout). Immutable and
 * thread-safe.
 */
public final class NativeNetwork implements VaeNetwork {

    private final VaeObjective objective;
    private final float[] parameters;
    /** The weight matrices split into rows, for inference on a few rows at a time (see DenseStack#forwardPrepared). */
    private final float[][][] encoderWeights;
    private final float[][][] decoderWeights;
    /** The likelihood's own parameters (empty for most likelihoods), written into every decoded row. */
    private final float[] likelihoodParameters;

    /**
     * A network with the given parameters (copied).
     *
     * @throws IllegalArgumentException when the count does not match the architecture or a value is not finite
     */
    public NativeNetwork(Architecture architecture, float[] parameters) {
        this(new VaeObjective(architecture, Kernels.best()), parameters);
    }

    /** A network computed with the given objective's kernels. */
    public NativeNetwork(VaeObjective objective, float[] parameters) {
        this.objective = objective;
        if (parameters.length != objective.parameterCount()) {
            throw new IllegalArgumentException("Parameter count mismatch for " + objective.architecture().describe()
                    + ": expected " + objective.parameterCount() + ", actual " + parameters.length);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                throw new IllegalArgumentException("Parameter " + i + " is not finite: " + parameters[i]);
            }
        }
        this.parameters = parameters.clone();
        this.encoderWeights = objective.encoder().splitWeights(this.parameters);
        this.decoderWeights = objective.decoder().splitWeights(this.parameters);
        this.likelihoodParameters = Arrays.copyOfRange(this.parameters, objective.likelihoodParameterOffset(),
                this.parameters.length);
    }

    /**
     * A freshly initialised network: every weight and bias of a layer with fan-in m is drawn from
     * U(-1/sqrt(m), 1/sqrt(m)), the default of PyTorch's {@code nn.Linear}, from a generator seeded with {@code seed}.
     * The likelihood's own parameters ({@link Likelihood#isOwnParameter}) are drawn as the biases of the decoder
     * outputs they once were, in the same sequence (see {@link VaeObjective}), so a seed gives the network it gave
     * before they were the likelihood's.
     */
    public static NativeNetwork initialize(Architecture architecture, long seed) {
        VaeObjective objective = new VaeObjective(architecture, Kernels.best());
        return new NativeNetwork(objective, objective.initialParameters(new SplittableRandom(seed)));
    }

    @Override
    public Architecture architecture() {
        return objective.architecture();
    }

    @Override
    public String backend() {
        return "native";
    }

    /** The objective (layer layout and kernels) this network computes with. */
    public VaeObjective objective() {
        return objective;
    }

    /** A copy of the flat parameters. */
    public float[] parameters() {
        return parameters.clone();
    }

    /** A copy of the likelihood's own parameters ({@link Likelihood#isOwnParameter}, in their order; often empty). */
    public float[] likelihoodParameters() {
        return likelihoodParameters.clone();
    }

    /**
     * The architecture's likelihood bound to its own parameters ({@link Likelihood#withOwnParameters}), so that what
     * depends on them alone is computed once, not per row.
     */
    @Override
    public Likelihood scoringLikelihood() {
        Likelihood lik = architecture().likelihood();
        return likelihoodParameters.length == 0 ? lik
                : lik.withOwnParameters(architecture().inputDim(), likelihoodParameters.clone());
    }

    /** The number of parameters. */
    public int parameterCount() {
        return parameters.length;
    }

    /** This network with other parameters of the same architecture. */
    public NativeNetwork withParameters(float[] newParameters) {
        return new NativeNetwork(objective, newParameters);
    }

    /**
     * This network with an objective on other kernels (same parameters, same layout): they run the objective's
     * training passes. Inference ({@link #newEvaluator()}) always runs the portable, batch-independent Java kernels.
     */
    public NativeNetwork withKernels(MatrixKernels kernels) {
        return new NativeNetwork(new VaeObjective(objective.architecture(), kernels), parameters);
    }

    @Override
    public Evaluator newEvaluator() {
        return new NativeEvaluator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeNetwork n && n.architecture().equals(architecture())
                && Arrays.equals(n.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return 31 * architecture().hashCode() + Arrays.hashCode(parameters);
    }

    /**
     * Runs batches on the row-independent kernels; big batches are split across cores, each part with its own
     * workspace. A row's outputs are bit-identical however the batch is split.
     */
    private final class NativeEvaluator implements Evaluator {
        private final Workspace[] workspaces = new Workspace[RowParallel.threads()];
        private final long encoderMacs = architecture().encoderMultiplyAdds();
        private final long decoderMacs = architecture().decoderMultiplyAdds();

        private Workspace workspace(int part, int rows) {
            Workspace ws = workspaces[part];
            if (ws == null) {
                ws = objective.workspace(Math.max(rows, 64));
                workspaces[part] = ws;
            }
            ws.ensure(rows);
            return ws;
        }

        @Override
        public void encode(float[] x, int xOff, int n, float[] mu, float[] logvar) {
            int parts = RowParallel.parts(n, encoderMacs);
            RowParallel.run(parts, p -> {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                encodeRows(workspace(p, to - from), x, xOff, from, to, mu, logvar);
            });
        }

        private void encodeRows(Workspace ws, float[] x, int xOff, int from, int to, float[] mu, float[] logvar) {
            DenseStack enc = objective.encoder();
            int rows = to - from;
            int d = enc.width(0);
            float[] head = ws.encoderOutput();
            if (enc.prefersColumns(rows)) {
                enc.forwardColumns(parameters, x, xOff + from * d, rows, ws.encoderColumns(), head);
            } else {
                enc.forwardPrepared(encoderWeights, parameters, x, xOff + from * d, rows, ws.encoderOuts);
            }
            int k = architecture().latentDim();
            int w = enc.width(enc.layers());
            if (w == k) {
                System.arraycopy(head, 0, mu, from * k, rows * k);
                return;
            }
            for (int i = 0; i < rows; i++) {
                System.arraycopy(head, i * w, mu, (from + i) * k, k);
                if (logvar != null) {
                    System.arraycopy(head, i * w + k, logvar, (from + i) * k, k);
                }
            }
        }

        @Override
        public void decode(float[] z, int zOff, int n, float[] raw) {
            int parts = RowParallel.parts(n, decoderMacs);
            RowParallel.run(parts, p -> {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                Workspace ws = workspace(p, to - from);
                DenseStack dec = objective.decoder();
                int k = dec.width(0);
                if (dec.prefersColumns(to - from)) {
                    dec.forwardColumns(parameters, z, zOff + from * k, to - from, ws.decoderColumns(), ws.decoderOutput());
                } else {
                    dec.forwardPrepared(decoderWeights, parameters, z, zOff + from * k, to - from, ws.decoderOuts);
                }
                RawLayout layout = objective.rawLayout();
                int rw = layout.rawWidth();
                if (layout.ownCount() == 0) {
                    System.arraycopy(ws.decoderOutput(), 0, raw, from * rw, (to - from) * rw);
                } else {
                    layout.assemble(ws.decoderOutput(), to - from, likelihoodParameters, 0, raw, from * rw);
                }
            });
        }
    }
}
