package dev.vae.bench;

import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the matrix kernels on the MNIST and tabular models' real shapes (m x n x k of a forward
 * layer at batch 128, inputs 50% zeros like ReLU outputs), for the portable kernels and the training kernels.
 * Run: {@code java -cp vae-bench/target/vae-bench.jar org.openjdk.jmh.Main KernelBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmarks {

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
