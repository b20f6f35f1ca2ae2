package dev.vae.core.likelihood;

import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;

/**
 * {@code gaussian-shared} (with any link) bound to one network's shared log-variances, for scoring: the same
 * likelihood as the {@link LearnedVarianceGaussian} it came from, with each feature's log-variance {@code s_j} (that
 * likelihood's link of r_j, e.g. {@code B tanh(r_j / B)}) and precision {@code exp(-s_j)} computed once instead of
 * once per row. Its negative log-likelihood is then
 * {@code C + 1/2 sum_j (x_j - m_j)^2 exp(-s_j)} with {@code C = 1/2 sum_j (log(2 pi) + s_j)}: no transcendental per
 * row. It ignores the log-variance half of the raw row (every row holds the same r there). The values agree with
 * the per-row formulas within float rounding, not bit for bit; a scorer uses one or the other for all its rows.
 * Made by {@link LearnedVarianceGaussian#withOwnParameters}. Immutable and thread-safe.
 */
public final class SharedVarianceGaussian implements Likelihood {

    private final LearnedVarianceGaussian parent;
    private final double[] logVariance;
    private final double[] precision;
    private final double constant;

    /** {@code parent} bound to the raw log-variance values {@code r} (one per feature), its own parameters. */
    SharedVarianceGaussian(LearnedVarianceGaussian parent, float[] r) {
        this.parent = parent;
        int d = r.length;
        logVariance = new double[d];
        precision = new double[d];
        double c = 0;
        for (int j = 0; j < d; j++) {
            logVariance[j] = parent.logVariance(r[j]);
            // StrictMath: the same value on every JVM and CPU; for the identity link exp(-s) may overflow to +infinity.
            precision[j] = StrictMath.exp(-logVariance[j]);
            c += FixedVarianceGaussian.LOG_2PI + logVariance[j];
        }
        constant = 0.5 * c;
    }

    @Override
    public String id() {
        return parent.id();
    }

    @Override
    public int rawWidth(int features) {
        return parent.rawWidth(features);
    }

    @Override
    public List<String> parameterNames() {
        return parent.parameterNames();
    }

    @Override
    public boolean isOwnParameter(int features, int rawIndex) {
        return parent.isOwnParameter(features, rawIndex);
    }

    @Override
    public int ownParameterCount(int features) {
        return parent.ownParameterCount(features);
    }

    @Override
    public ScalingKind preferredScaling() {
        return ScalingKind.STANDARDIZE;
    }

    private void check(int d) {
        if (d != precision.length) {
            throw new IllegalArgumentException("This likelihood is bound to " + precision.length + " features, not " + d);
        }
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        check(d);
        return constant + 0.5 * FixedVarianceGaussian.squaredResiduals(x, xOff, raw, rawOff, d, precision);
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        check(d);
        for (int j = 0; j < d; j++) {
            double r = (double) x[xOff + j] - raw[rawOff + j];
            out[outOff + j] = 0.5 * (FixedVarianceGaussian.LOG_2PI + logVariance[j] + r * r * precision[j]);
        }
    }

    /** The per-row formulas of the parent likelihood (training binds nothing: its r moves). */
    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        return parent.gradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
    }

    @Override
    public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        System.arraycopy(raw, rawOff, out, outOff, d);
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        check(d);
        for (int j = 0; j < d; j++) {
            out[outOff + j] = (float) (raw[rawOff + j] + StrictMath.exp(0.5 * logVariance[j]) * random.next());
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
