package dev.vae.anomaly.score;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import java.util.List;

/**
 * A VAE whose log-likelihood is known in closed form: a linear decoder x = z W + b + noise, z ~ N(0, I),
 * noise ~ N(0, v I), so x ~ N(b, W^T W + v I). The rows of W are orthogonal, which makes the exact posterior
 * diagonal; the encoder can be that exact posterior (then every importance weight equals p(x)) or a perturbed one.
 */
final class LinearGaussianVae {

    static final int D = 3;
    static final int K = 2;
    static final double V = 0.5;
    static final double[][] W = {{1.0, 1.0, 0.0}, {0.5, -0.5, 1.0}};
    static final double[] B = {0.1, -0.2, 0.3};

    private LinearGaussianVae() {
    }

    /** The model; {@code muShift} and {@code logvarShift} perturb the exact posterior (0, 0 = exact). */
    static VaeModel model(double muShift, double logvarShift, long seed) {
        Architecture arch = new Architecture(D, List.of(), K, List.of(), Activation.RELU, new FixedVarianceGaussian(V),
                ModelType.VAE);
        float[] p = new float[D * 2 * K + 2 * K + K * D + D];
        int biasOff = D * 2 * K;
        for (int k = 0; k < K; k++) {
            double norm2 = 0;
            double wb = 0;
            for (int j = 0; j < D; j++) {
                norm2 += W[k][j] * W[k][j];
                wb += W[k][j] * B[j];
            }
            double var = 1.0 / (1.0 + norm2 / V);
            for (int j = 0; j < D; j++) {
                p[j * 2 * K + k] = (float) (var / V * W[k][j]);
            }
            p[biasOff + k] = (float) (-var / V * wb + muShift);
            p[biasOff + K + k] = (float) (Math.log(var) + logvarShift);
        }
        int dec = biasOff + 2 * K;
        for (int k = 0; k < K; k++) {
            for (int j = 0; j < D; j++) {
                p[dec + k * D + j] = (float) W[k][j];
            }
        }
        for (int j = 0; j < D; j++) {
            p[dec + K * D + j] = (float) B[j];
        }
        return VaeModel.builder(new NativeNetwork(arch, p)).seed(seed).build();
    }

    /** The exact -log p(x) for one row, in nats. */
    static double negativeLogLikelihood(float[] x, int off) {
        double[][] c = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                double s = i == j ? V : 0;
                for (int k = 0; k < K; k++) {
                    s += W[k][i] * W[k][j];
                }
                c[i][j] = s;
            }
        }
        // Cholesky c = L L^T, then -log N = 1/2 (d log 2 pi + log det c + |L^-1 r|^2).
        double[][] l = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j <= i; j++) {
                double s = c[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        double[] y = new double[D];
        double quad = 0;
        double logDet = 0;
        for (int i = 0; i < D; i++) {
            double s = x[off + i] - B[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
            quad += y[i] * y[i];
            logDet += 2 * Math.log(l[i][i]);
        }
        return 0.5 * (D * Math.log(2 * Math.PI) + logDet + quad);
    }
}
