package dev.vae.core.nn;

import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.naming.Identified;

/**
 * Element-wise activations of hidden layers. Derivatives are expressed through the activation's output,
 * which the forward pass keeps, so no pre-activation buffer is needed.
 */
public enum Activation implements Identified {
    /** max(0, x). */
    RELU,
    /** tanh(x). */
    TANH,
    /** 1 / (1 + exp(-x)). */
    SIGMOID,
    /** x. */
    IDENTITY;

    /** Parses {@code relu}, {@code tanh}, {@code sigmoid} or {@code identity}. */
    public static Activation parse(String text) {
        return Identified.parse(Activation.class, text, "activation");
    }

    /** Applies the activation in place to {@code v[off, off + len)}. */
    public void apply(float[] v, int off, int len) {
        switch (this) {
            case RELU -> {
                for (int i = off; i < off + len; i++) {
                    v[i] = Math.max(v[i], 0f);
                }
            }
            // The element kernels' float tanh: the same bits with or without the Vector API (ElementKernels).
            case TANH -> Simd.elements().tanh(v, off, len);
            case SIGMOID -> {
                for (int i = off; i < off + len; i++) {
                    v[i] = sigmoid(v[i]);
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /**
     * Multiplies the gradient {@code g[i]} by the derivative at output {@code y[i]}, in place, for
     * {@code i in [0, len)} at the given offsets.
     */
    public void backprop(float[] y, int yOff, float[] g, int gOff, int len) {
        switch (this) {
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    if (y[yOff + i] <= 0f) {
                        g[gOff + i] = 0f;
                    }
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    float t = y[yOff + i];
                    g[gOff + i] *= 1f - t * t;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    float s = y[yOff + i];
                    g[gOff + i] *= s * (1f - s);
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /**
     * A numerically stable logistic function; StrictMath, so its bits are the same on every JVM and CPU. The one
     * definition is {@link Transcendentals#sigmoid}, which the Bernoulli likelihood shares.
     */
    public static float sigmoid(float x) {
        return Transcendentals.sigmoid(x);
    }
}
