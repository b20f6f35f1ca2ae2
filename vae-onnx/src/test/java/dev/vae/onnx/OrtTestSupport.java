package dev.vae.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a serialized ONNX graph in ONNX Runtime with one float input, for tests. */
public final class OrtTestSupport {

    private OrtTestSupport() {
    }

    /** Runs {@code onnx} on {@code rows x width} values fed to {@code input}; returns every output as float or boolean arrays. */
    public static Map<String, Object> run(byte[] onnx, String input, float[] values, int rows, int width) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Object> out = new LinkedHashMap<>();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {rows, width});
             OrtSession.Result r = session.run(Map.of(input, t))) {
            for (Map.Entry<String, OnnxValue> e : r) {
                OnnxTensor tensor = (OnnxTensor) e.getValue();
                long[] shape = tensor.getInfo().getShape();
                long n = 1;
                for (long s : shape) {
                    n *= s;
                }
                if (tensor.getFloatBuffer() != null) {
                    float[] f = new float[(int) n];
                    tensor.getFloatBuffer().get(f);
                    out.put(e.getKey(), f);
                } else {
                    Object value = tensor.getValue();
                    out.put(e.getKey(), value);
                }
            }
        }
        return out;
    }

    /** The custom metadata ONNX Runtime reads from a serialized graph. */
    public static Map<String, String> metadata(byte[] onnx) throws OrtException {
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
            return session.getMetadata().getCustomMetadata();
        }
    }

    /** |a - b| / max(|b|, 1): relative error, measured against 1 for values near zero. */
    public static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1.0);
    }
}
