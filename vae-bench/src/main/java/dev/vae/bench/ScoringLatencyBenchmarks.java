package dev.vae.bench;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.data.Table;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Setup;

/**
 * JMH single-row scoring latency of the tabular 30-64-8 Gaussian VAE through the public {@link Scorer} (scaling,
 * encoder, decoder, likelihood, KL). SampleTime mode reports the p50 and p99 per call. Run:
 * {@code java -cp vae-bench/target/vae-bench.jar org.openjdk.jmh.Main ScoringLatencyBenchmarks}.
 */
@BenchmarkMode(Mode.SampleTime)
public class ScoringLatencyBenchmarks extends JmhBenchmark {

    private Scorer scorer;
    private float[] rows;
    private int next;

    /** A freshly initialised tabular model (latency does not depend on the weights' values) and 1,000 rows. */
    @Setup
    public void setup() {
        Architecture arch = new Architecture(30, List.of(64), 8, List.of(64), Activation.RELU,
                Likelihoods.parse("gaussian"), ModelType.VAE);
        Table data = Workloads.syntheticTabular(1_000, 30, 3);
        Scaler scaler = Scaler.fit(arch.likelihood().preferredScaling(), data.values(), data.rows(), 30);
        VaeModel model = VaeModel.builder(NativeNetwork.initialize(arch, 1)).scaler(scaler)
                .featureNames(data.columns()).build();
        scorer = new Scorer(model);
        rows = data.values();
    }

    /** Scores one raw row. */
    @Benchmark
    public double scoreOneRow() {
        float[] row = new float[30];
        System.arraycopy(rows, next * 30, row, 0, 30);
        next = (next + 1) % 1_000;
        return scorer.score(row);
    }
}
