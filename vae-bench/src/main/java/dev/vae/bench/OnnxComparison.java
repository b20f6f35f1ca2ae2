package dev.vae.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeNetwork;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Encoder plus decoder throughput of ONNX Runtime on the PyTorch-exported MNIST fixture (784-400-20) against the
 * native network of the same shape, at one batch size: the same work (two dense layers each way, z = mu) on both.
 */
final class OnnxComparison {

    private OnnxComparison() {
    }

    /** Rows per second of ONNX Runtime and of the native network. */
    record Result(int batch, double onnxRowsPerSecond, double nativeRowsPerSecond) {
    }

    static Result run(Path fixture, float[] x, int rows, int batch, double minSeconds) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession enc = env.createSession(fixture.resolve("encoder.onnx").toString(), options);
             OrtSession dec = env.createSession(fixture.resolve("decoder.onnx").toString(), options)) {
            // Fewer rows than a batch: one batch of the rows repeated.
            int batches = rows < batch ? 1 : Math.max(1, rows / batch);
            float[] src = rows < batch ? repeated(x, rows, batch) : x;
            double onnx = rowsPerSecond(batch, minSeconds, call -> {
                int b = (int) (call % batches);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(src, b * batch * 784, batch * 784),
                        new long[] {batch, 784});
                     OrtSession.Result r = enc.run(Map.of("x", in));
                     OnnxTensor z = OnnxTensor.createTensor(env, ((OnnxTensor) r.get(0)).getFloatBuffer(),
                             new long[] {batch, 20});
                     OrtSession.Result out = dec.run(Map.of("z", z))) {
                    out.get(0).getInfo();
                }
            });

            Architecture arch = new Architecture(784, List.of(400), 20, List.of(400), Activation.RELU,
                    Likelihoods.parse("bernoulli"), ModelType.VAE);
            VaeNetwork.Evaluator ev = NativeNetwork.initialize(arch, 1).newEvaluator();
            float[] mu = new float[batch * 20];
            float[] logvar = new float[batch * 20];
            float[] raw = new float[batch * 784];
            double nat = rowsPerSecond(batch, minSeconds, call -> {
                int b = (int) (call % batches);
                ev.encode(src, b * batch * 784, batch, mu, logvar);
                ev.decode(mu, 0, batch, raw);
            });
            return new Result(batch, onnx, nat);
        }
    }

    /** {@code batch} rows of 784 pixels: the {@code rows} rows of {@code x}, over and over. */
    private static float[] repeated(float[] x, int rows, int batch) {
        float[] out = new float[batch * 784];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(x, (i % rows) * 784, out, i * 784, 784);
        }
        return out;
    }

    /** One call on one batch; {@code call} counts the calls before it (it picks the batch). */
    @FunctionalInterface
    private interface BatchCall {
        void run(long call) throws OrtException;
    }

    /**
     * Rows a second of {@code body} on {@code batch}-row batches: two passes of at least {@code minSeconds} and 5
     * calls each, the first a warm-up; the second's figure.
     */
    private static double rowsPerSecond(int batch, double minSeconds, BatchCall body) throws OrtException {
        double rate = 0;
        for (int pass = 0; pass < 2; pass++) {
            long end = System.nanoTime() + (long) (minSeconds * 1e9);
            long t0 = System.nanoTime();
            long calls = 0;
            while (System.nanoTime() < end || calls < 5) {
                body.run(calls);
                calls++;
            }
            rate = calls * (double) batch / ((System.nanoTime() - t0) / 1e9);
        }
        return rate;
    }
}
