package dev.vae.anomaly.threshold;

import org.jspecify.annotations.Nullable;

/**
 * A generalised Pareto distribution of excesses y > 0, with shape gamma and scale sigma:
 * {@code P(Y > y) = (1 + gamma y / sigma)^(-1/gamma)}, or {@code exp(-y / sigma)} when gamma = 0.
 *
 * <p>{@link #fit} finds the maximum-likelihood parameters with Grimshaw's trick (Grimshaw 1993, "Computing
 * maximum likelihood estimates for the generalized Pareto distribution"), as Siffer et al. (KDD 2017) use it:
 * with x = gamma / sigma, every stationary point of the log-likelihood solves {@code u(x) v(x) = 1}, where
 * {@code u(x) = mean(1 / (1 + x y_i))} and {@code v(x) = 1 + mean(log(1 + x y_i))}, and then
 * {@code gamma = v(x) - 1}, {@code sigma = gamma / x}. The roots lie in {@code (-1/y_max, 0)} and
 * {@code (0, 2 (mean - y_min) / y_min^2)}; they are bracketed on a grid and refined by bisection (a robust
 * one-dimensional search), and the candidate with the highest likelihood wins, the exponential (gamma = 0,
 * sigma = mean) included.
 *
 * @param gamma shape (tail index); positive = heavy tail, 0 = exponential tail, negative = bounded
 * @param sigma scale, positive
 */
public record GeneralizedPareto(double gamma, double sigma) {

    private static final int GRID = 120;
    private static final int BISECTIONS = 100;

    /** Validates the parameters. */
    public GeneralizedPareto {
        if (!Double.isFinite(gamma)) {
            throw new IllegalArgumentException("Invalid GPD shape: " + gamma);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("Invalid GPD scale: " + sigma + " (expected > 0)");
        }
    }

    /**
     * The maximum-likelihood GPD of the excesses {@code y[0, n)}, all positive.
     *
     * @throws IllegalArgumentException when fewer than 2 excesses are given or one is not positive
     */
    public static GeneralizedPareto fit(double[] y, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("A GPD fit needs at least 2 excesses, got " + n);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!(y[i] > 0) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("Excess " + i + " is not positive and finite: " + y[i]);
            }
            min = Math.min(min, y[i]);
            max = Math.max(max, y[i]);
            sum += y[i];
        }
        double mean = sum / n;
        GeneralizedPareto best = new GeneralizedPareto(0, mean);
        double bestLl = best.logLikelihood(y, n);
        if (max == min) {
            return best;
        }
        double lo = -1.0 / max;
        double hi = 2 * (mean - min) / (min * min);
        // The left interval: grid uniform in x on (-1/max, 0); the right one geometric, since roots can sit near 0.
        double eps = 1e-8 / max;
        double[] left = new double[GRID + 1];
        double[] right = new double[GRID + 1];
        for (int i = 0; i <= GRID; i++) {
            double f = (double) i / GRID;
            left[i] = lo * (1 - 1e-9) * (1 - f) - eps * f;
            right[i] = eps * Math.pow(hi / eps, f);
        }
        for (double[] grid : new double[][] {left, right}) {
            double prev = w(y, n, grid[0]);
            for (int i = 1; i < grid.length; i++) {
                double cur = w(y, n, grid[i]);
                if (Double.isFinite(prev) && Double.isFinite(cur) && Math.signum(prev) != Math.signum(cur)) {
                    double root = bisect(y, n, grid[i - 1], grid[i], prev);
                    GeneralizedPareto cand = fromRoot(y, n, root);
                    if (cand != null) {
                        double ll = cand.logLikelihood(y, n);
                        if (ll > bestLl) {
                            best = cand;
                            bestLl = ll;
                        }
                    }
                }
                prev = cur;
            }
        }
        return best;
    }

    private static double w(double[] y, int n, double x) {
        double u = 0;
        double v = 0;
        for (int i = 0; i < n; i++) {
            double s = 1 + x * y[i];
            if (!(s > 0)) {
                return Double.NaN;
            }
            u += 1 / s;
            v += Math.log(s);
        }
        return (u / n) * (1 + v / n) - 1;
    }

    private static double bisect(double[] y, int n, double a, double b, double fa) {
        double lo = a;
        double hi = b;
        double flo = fa;
        for (int it = 0; it < BISECTIONS; it++) {
            double mid = 0.5 * (lo + hi);
            double fm = w(y, n, mid);
            if (Math.signum(fm) == Math.signum(flo)) {
                lo = mid;
                flo = fm;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static @Nullable GeneralizedPareto fromRoot(double[] y, int n, double x) {
        if (x == 0) {
            return null;
        }
        double v = 0;
        for (int i = 0; i < n; i++) {
            v += Math.log(1 + x * y[i]);
        }
        double gamma = v / n;
        double sigma = gamma / x;
        if (!(sigma > 0) || !Double.isFinite(sigma) || !Double.isFinite(gamma)) {
            return null;
        }
        return new GeneralizedPareto(gamma, sigma);
    }

    /** The log-likelihood of the excesses {@code y[0, n)}; minus infinity outside the support. */
    public double logLikelihood(double[] y, int n) {
        if (gamma == 0) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += y[i];
            }
            return -n * Math.log(sigma) - s / sigma;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double t = 1 + gamma * y[i] / sigma;
            if (!(t > 0)) {
                return Double.NEGATIVE_INFINITY;
            }
            s += Math.log(t);
        }
        return -n * Math.log(sigma) - (1 + 1 / gamma) * s;
    }

    /** The probability that an excess exceeds {@code y}. */
    public double survival(double y) {
        if (y <= 0) {
            return 1;
        }
        if (gamma == 0) {
            return Math.exp(-y / sigma);
        }
        double t = 1 + gamma * y / sigma;
        return t <= 0 ? 0 : Math.pow(t, -1 / gamma);
    }

    /** The excess exceeded with probability {@code p} in (0, 1]: the inverse of {@link #survival}. */
    public double excessQuantile(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("Invalid tail probability: " + p + " (expected 0 < p <= 1)");
        }
        if (gamma == 0) {
            return -sigma * Math.log(p);
        }
        return sigma / gamma * (Math.pow(p, -gamma) - 1);
    }
}
