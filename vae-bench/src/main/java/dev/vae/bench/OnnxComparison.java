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
            int batches = Math.max(1, rows / batch);
            float[] src = x;
            if (rows < batch) {
                src = new float[batch * 784];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(x, (i % rows) * 784, src, i * 784, 784);
                }
                batches = 1;
            }
            double onnx = 0;
            for (int pass = 0; pass < 2; pass++) {
                long end = System.nanoTime() + (long) (minSeconds * 1e9);
                long t0 = System.nanoTime();
                long calls = 0;
                while (System.nanoTime() < end || calls < 5) {
                    int b = (int) (calls % batches);
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(src, b * batch * 784, batch * 784),
                            new long[] {batch, 784});
                         OrtSession.Result r = enc.run(Map.of("x", in));
                         OnnxTensor z = OnnxTensor.createTensor(env, ((OnnxTensor) r.get(0)).getFloatBuffer(),
                                 new long[] {batch, 20});
                         OrtSession.Result out = dec.run(Map.of("z", z))) {
                        out.get(0).getInfo();
                    }
                    calls++;
                }
                onnx = calls * (double) batch / ((System.nanoTime() - t0) / 1e9);
            }

            Architecture arch = new Architecture(784, List.of(400), 20, List.of(400), Activation.RELU,
                    Likelihoods.parse("bernoulli"), ModelType.VAE);
            VaeNetwork.Evaluator ev = NativeNetwork.initialize(arch, 1).newEvaluator();
            float[] mu = new float[batch * 20];
            float[] logvar = new float[batch * 20];
            float[] raw = new float[batch * 784];
            double nat = 0;
            for (int pass = 0; pass < 2; pass++) {
                long end = System.nanoTime() + (long) (minSeconds * 1e9);
                long t0 = System.nanoTime();
                long calls = 0;
                while (System.nanoTime() < end || calls < 5) {
                    int b = (int) (calls % batches);
                    ev.encode(src, b * batch * 784, batch, mu, logvar);
                    ev.decode(mu, 0, batch, raw);
                    calls++;
                }
                nat = calls * (double) batch / ((System.nanoTime() - t0) / 1e9);
            }
            return new Result(batch, onnx, nat);
        }
    }
}
