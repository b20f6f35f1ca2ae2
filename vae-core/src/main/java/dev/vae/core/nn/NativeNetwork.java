package dev.vae.core.nn;

import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.kernel.RowParallel;
import dev.vae.core.likelihood.Likelihood;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The native network: an {@link Architecture} and its flat float32 parameters (encoder stack, then decoder
 * stack; see {@link DenseStack} for the layout). Immutable and thread-safe.
 */
public final class NativeNetwork implements VaeNetwork {

    private final VaeObjective objective;
    private final float[] parameters;
    /** The weight matrices split into rows, for inference on a few rows at a time (see DenseStack#forwardPrepared). */
    private final float[][][] encoderWeights;
    private final float[][][] decoderWeights;
    /** For inference when the raw outputs' tail is shared (gaussian-shared); null otherwise. */
    private final @Nullable ComputedDecoder computed;

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
        int shared = objective.firstNonZeroSharedOutputWeight(parameters);
        if (shared >= 0) {
            throw new IllegalArgumentException("Parameter " + shared + " is a decoder weight into an output the "
                    + objective.architecture().likelihood().id() + " likelihood shares across rows, so it must be 0,"
                    + " but it is " + parameters[shared]);
        }
        this.parameters = parameters.clone();
        this.encoderWeights = objective.encoder().splitWeights(this.parameters);
        this.decoderWeights = objective.decoder().splitWeights(this.parameters);
        this.computed = ComputedDecoder.of(objective, this.parameters);
    }

    /**
     * The decoder without the shared tail of its raw outputs, with its parameters in a layout of their own, and the
     * tail's values (its biases), the same for every row. Skipping the tail's zero weights changes no bit: each
     * output is its bias plus its own sum.
     *
     * @param stack      the decoder cut to the computed outputs
     * @param parameters the stack's parameters
     * @param weights    the stack's weight rows ({@link DenseStack#splitWeights})
     * @param tail       the shared outputs' values
     * @param rawWidth   the full raw width
     */
    private record ComputedDecoder(DenseStack stack, float[] parameters, float[][][] weights, float[] tail,
                                   int rawWidth) {

        /** The computed decoder of {@code objective} with {@code params}, or null when no tail is shared. */
        static @Nullable ComputedDecoder of(VaeObjective objective, float[] params) {
            DenseStack dec = objective.decoder();
            int rw = dec.width(dec.layers());
            int keep = objective.computedOutputs();
            if (keep == rw) {
                return null;
            }
            int[] sizes = new int[dec.layers() + 1];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = dec.width(i);
            }
            sizes[dec.layers()] = keep;
            DenseStack stack = new DenseStack(sizes, dec.activation(), 0);
            float[] p = new float[stack.parameterCount()];
            int last = dec.layers() - 1;
            // Every layer but the last as it is; the last one's weight rows and bias cut to the computed outputs.
            System.arraycopy(params, dec.weightOffset(0), p, 0, stack.weightOffset(last));
            for (int i = 0; i < sizes[last]; i++) {
                System.arraycopy(params, dec.weightOffset(last) + i * rw, p, stack.weightOffset(last) + i * keep, keep);
            }
            System.arraycopy(params, dec.biasOffset(last), p, stack.biasOffset(last), keep);
            float[] tail = Arrays.copyOfRange(params, dec.biasOffset(last) + keep, dec.biasOffset(last) + rw);
            return new ComputedDecoder(stack, p, stack.splitWeights(p), tail, rw);
        }

        /** The multiply-adds a row saves: the last layer's weights into the tail. */
        long macsSaved() {
            return (long) stack.width(stack.layers() - 1) * tail.length;
        }
    }

    /**
     * A freshly initialised network: every weight and bias of a layer with fan-in m is drawn from
     * U(-1/sqrt(m), 1/sqrt(m)), the default of PyTorch's {@code nn.Linear}, from a generator seeded with {@code seed};
     * then the weights into shared outputs ({@link Likelihood#isSharedOutput}) are set to 0.
     */
    public static NativeNetwork initialize(Architecture architecture, long seed) {
        VaeObjective objective = new VaeObjective(architecture, Kernels.best());
        float[] p = new float[objective.parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (DenseStack stack : new DenseStack[] {objective.encoder(), objective.decoder()}) {
            for (int l = 0; l < stack.layers(); l++) {
                double bound = 1.0 / Math.sqrt(stack.width(l));
                int from = stack.weightOffset(l);
                int to = stack.biasOffset(l) + stack.width(l + 1);
                for (int i = from; i < to; i++) {
                    p[i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
                }
            }
        }
        objective.clearSharedOutputWeights(p);
        return new NativeNetwork(objective, p);
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

    /**
     * The architecture's likelihood, bound to the values of the shared raw outputs when they form the raw row's
     * tail, so that what depends on them alone is computed once, not per row.
     */
    @Override
    public Likelihood scoringLikelihood() {
        Likelihood lik = architecture().likelihood();
        return computed == null ? lik : lik.withSharedOutputs(architecture().inputDim(), computed.tail().clone());
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
        private final long decoderMacs = architecture().decoderMultiplyAdds() - (computed == null ? 0 : computed.macsSaved());

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
                DenseStack dec = computed != null ? computed.stack() : objective.decoder();
                float[] params = computed != null ? computed.parameters() : parameters;
                int k = dec.width(0);
                if (dec.prefersColumns(to - from)) {
                    dec.forwardColumns(params, z, zOff + from * k, to - from, ws.decoderColumns(), ws.decoderOutput());
                } else {
                    dec.forwardPrepared(computed != null ? computed.weights() : decoderWeights, params, z,
                            zOff + from * k, to - from, ws.decoderOuts);
                }
                float[] out = ws.decoderOutput();
                if (computed == null) {
                    int rw = dec.width(dec.layers());
                    System.arraycopy(out, 0, raw, from * rw, (to - from) * rw);
                    return;
                }
                int width = dec.width(dec.layers());
                int rw = computed.rawWidth();
                for (int i = 0; i < to - from; i++) {
                    System.arraycopy(out, i * width, raw, (from + i) * rw, width);
                    System.arraycopy(computed.tail(), 0, raw, (from + i) * rw + width, rw - width);
                }
            });
        }
    }
}
