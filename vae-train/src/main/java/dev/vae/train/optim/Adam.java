package dev.vae.train.optim;

import dev.vae.core.kernel.RowParallel;
import java.util.Locale;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, fused over one flat parameter array:
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr * m_hat / (sqrt(v_hat) + eps)}.
 *
 * <p>Tribuo 4.3.2's Adam multiplies where it should divide; this one divides. Holds its moment estimates, so it
 * is not thread-safe; {@link #copy()} gives an independent optimiser with the same state. The library's default
 * {@link Optimiser}, and the one whose state a {@link dev.vae.train.Checkpoint} saves.
 */
public final class Adam implements Optimiser {

    /** Parameters per range of a parallel {@link #step(float[], float[], float, int)}: 64 KiB of floats. */
    private static final int RANGE = 16 * 1024;

    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[] m;
    private final float[] v;
    private long step;

    /** Adam with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8) over {@code size} parameters. */
    public Adam(int size, double learningRate) {
        this(size, learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam with explicit hyper-parameters. */
    public Adam(int size, double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("Invalid learning rate: " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Invalid Adam betas: " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Invalid Adam epsilon: " + epsilon);
        }
        this.learningRate = (float) learningRate;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.m = new float[size];
        this.v = new float[size];
    }

    private Adam(Adam o) {
        this.learningRate = o.learningRate;
        this.beta1 = o.beta1;
        this.beta2 = o.beta2;
        this.epsilon = o.epsilon;
        this.m = o.m.clone();
        this.v = o.v.clone();
        this.step = o.step;
    }

    /** An independent optimiser with the same hyper-parameters and state. */
    public Adam copy() {
        return new Adam(this);
    }

    /** Number of steps taken. */
    public long steps() {
        return step;
    }

    /** The first-moment estimates (live array; for checkpoints). */
    public float[] firstMoments() {
        return m;
    }

    /** The second-moment estimates (live array; for checkpoints). */
    public float[] secondMoments() {
        return v;
    }

    /** Restores state saved from {@link #firstMoments()}, {@link #secondMoments()} and {@link #steps()}. */
    public void restore(float[] first, float[] second, long steps) {
        if (first.length != m.length || second.length != v.length) {
            throw new IllegalArgumentException("Adam state size mismatch: expected " + m.length + ", actual " + first.length);
        }
        System.arraycopy(first, 0, m, 0, m.length);
        System.arraycopy(second, 0, v, 0, v.length);
        this.step = steps;
    }

    /** Takes one step: {@code params -= lr * m_hat / (sqrt(v_hat) + eps)}, with {@code grad} = d(loss)/d(params). */
    public void step(float[] params, float[] grad) {
        step(params, grad, learningRate);
    }

    /** Takes one step with the given learning rate (for schedules). */
    public void step(float[] params, float[] grad, float lr) {
        begin(lr).apply(params, grad, 1f, 0, params.length);
    }

    /**
     * Takes one step at the configured learning rate with the gradient {@code grad[i] * gradScale}, applied in up to
     * {@code parts} ranges of whole 16 Ki-element blocks at once ({@link Step#apply}): the bits of a one-range step.
     */
    @Override
    public void step(float[] params, float[] grad, float gradScale, int parts) {
        Step update = begin();
        int blocks = (params.length + RANGE - 1) / RANGE;
        int n = Math.max(1, Math.min(parts, blocks));
        RowParallel.run(n, part -> update.apply(params, grad, gradScale,
                Math.min(params.length, (int) ((long) blocks * part / n) * RANGE),
                Math.min(params.length, (int) ((long) blocks * (part + 1) / n) * RANGE)));
    }

    /** {@code adam(lr=..., beta1=..., beta2=..., eps=...)}, the settings as the steps use them (in float). */
    @Override
    public String describe() {
        return String.format(Locale.ROOT, "adam(lr=%s, beta1=%s, beta2=%s, eps=%s)", learningRate, beta1, beta2,
                epsilon);
    }

    /** Counts one step at the configured learning rate and returns it: see {@link #begin(float)}. */
    public Step begin() {
        return begin(learningRate);
    }

    /**
     * Counts one step at learning rate {@code lr} and returns it, to be applied to every parameter once through
     * {@link Step#apply}, in ranges that may run on different threads: each element's update depends on that
     * element alone, so any split gives the bits of {@link #step(float[], float[], float)}.
     */
    public Step begin(float lr) {
        step++;
        double c1 = 1.0 - Math.pow(beta1, step);
        double c2 = 1.0 - Math.pow(beta2, step);
        // Fold both bias corrections into the step size and epsilon, as PyTorch does.
        return new Step((float) (lr / c1), (float) Math.sqrt(c2));
    }

    /** One counted step, ready to apply to ranges of the parameters. */
    public final class Step {
        private final float stepSize;
        private final float sqrtC2;

        private Step(float stepSize, float sqrtC2) {
            this.stepSize = stepSize;
            this.sqrtC2 = sqrtC2;
        }

        /**
         * Updates {@code params[from, to)} with the gradient {@code grad[i] * gradScale} (a gradient-clipping factor;
         * 1 for none), and the moments of those elements.
         */
        public void apply(float[] params, float[] grad, float gradScale, int from, int to) {
            float b1 = beta1;
            float b2 = beta2;
            float eps = epsilon;
            float a1 = 1f - b1;
            float a2 = 1f - b2;
            float size = stepSize;
            float root = sqrtC2;
            for (int i = from; i < to; i++) {
                float g = grad[i] * gradScale;
                float mi = b1 * m[i] + a1 * g;
                float vi = b2 * v[i] + a2 * g * g;
                m[i] = mi;
                v[i] = vi;
                params[i] -= size * mi / ((float) Math.sqrt(vi) / root + eps);
            }
        }
    }
}
