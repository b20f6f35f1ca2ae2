package dev.vae.bench;

import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * JMH benchmarks of the matrix kernels on the MNIST and tabular models' real shapes (m x n x k of a forward
 * layer at batch 128, inputs 50% zeros like ReLU outputs), for the portable kernels and the training kernels.
 * Run: {@code java -cp vae-bench/target/vae-bench.jar org.openjdk.jmh.Main KernelBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
public class KernelBenchmarks extends JmhBenchmark {

    /** Shape m x n x k. */
    @Param({"128x400x784", "128x784x400", "128x64x30", "1x64x30", "1x400x784"})
    public String shape;

    /** {@code portable} (row-independent Java, used for scoring) or {@code training} (native when installed). */
    @Param({"portable", "training"})
    public String path;

    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private MatrixKernels kernels;

    /** Builds the operands. */
    @Setup
    public void setup() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextBoolean() ? 0f : (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        kernels = path.equals("training") ? Kernels.best().forTraining() : Kernels.portable();
    }

    /** C = A B. */
    @Benchmark
    public float[] gemm() {
        kernels.gemm(m, n, k, a, 0, b, 0, c, 0, false);
        return c;
    }

    /** C = A B^T (B read as n x k). */
    @Benchmark
    public float[] gemmNT() {
        kernels.gemmNT(m, n, k, a, 0, b, 0, c, 0, false);
        return c;
    }
}
