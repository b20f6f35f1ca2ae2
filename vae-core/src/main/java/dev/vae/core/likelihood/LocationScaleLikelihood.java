package dev.vae.core.likelihood;

import dev.vae.core.scale.ScalingKind;

/**
 * What the learned-variance Gaussians and the Student-t share: the decoder emits two raw values per feature, the
 * location m (the first half of the raw row) and r (the second half), whose link gives s, the log of the squared
 * scale. Per row, or shared: r is one learned number per feature, the same in every row (the likelihood's own
 * parameters, not decoder outputs). Both are scored on standardised data, their mean is the location, and on their scalar path a
 * row's value is the sum over its features of one double formula of (x, m, s), in feature order; each likelihood
 * gives its link and that formula.
 */
abstract sealed class LocationScaleLikelihood implements Likelihood
        permits LearnedVarianceGaussian, StudentTLikelihood {

    private final boolean shared;

    LocationScaleLikelihood(boolean shared) {
        this.shared = shared;
    }

    /** Whether r is shared by every row rather than a decoder output. */
    final boolean shared() {
        return shared;
    }

    /** s for a raw value r: this likelihood's link. */
    abstract double link(double r);

    /** -log p(x | m, s) of one feature, in double. */
    abstract double featureNll(double x, double m, double s);

    /**
     * -log p(x | m, s) of one feature (returned), and {@code scale} times its derivatives with respect to m and to the
     * raw r into {@code grad[meanAt]} and {@code grad[rawAt]}; {@code r} is the residual {@code x - m}.
     */
    abstract double featureGradient(double r, double s, float scale, float[] grad, int meanAt, int rawAt);

    @Override
    public final int rawWidth(int features) {
        return 2 * features;
    }

    /** The second half of the raw row when r is shared: the likelihood's own parameters. */
    @Override
    public final boolean isOwnParameter(int features, int rawIndex) {
        return shared && rawIndex >= features && rawIndex < 2 * features;
    }

    /** d when r is shared (one raw value per feature), else 0. */
    @Override
    public final int ownParameterCount(int features) {
        return shared ? features : 0;
    }

    @Override
    public final ScalingKind preferredScaling() {
        return ScalingKind.STANDARDIZE;
    }

    /** The scalar path: {@link #featureNll} summed in feature order. */
    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            sum += featureNll(x[xOff + j], raw[rawOff + j], link(raw[rawOff + d + j]));
        }
        return sum;
    }

    /** The scalar path: {@link #featureNll} of each feature. */
    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        for (int j = 0; j < d; j++) {
            out[outOff + j] = featureNll(x[xOff + j], raw[rawOff + j], link(raw[rawOff + d + j]));
        }
    }

    /** The scalar path: {@link #featureGradient} of each feature, whose values it sums in feature order. */
    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            double m = raw[rawOff + j];
            sum += featureGradient(x[xOff + j] - m, link(raw[rawOff + d + j]), scale, grad, gradOff + j,
                    gradOff + d + j);
        }
        return sum;
    }

    /** The location m (for the Student-t, the mean when nu > 1 and the median always). */
    @Override
    public final void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        System.arraycopy(raw, rawOff, out, outOff, d);
    }

    @Override
    public final String toString() {
        return id();
    }
}
