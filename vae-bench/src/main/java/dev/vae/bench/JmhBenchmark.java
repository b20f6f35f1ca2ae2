package dev.vae.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every JMH benchmark of this module runs with, which JMH reads from a benchmark's superclass: state per
 * thread, microseconds, 3 warm-up and 5 measured iterations of a second, one fork. A subclass names its mode
 * ({@code @BenchmarkMode}); the command line overrides any of these ({@code -wi}, {@code -i}, {@code -f}, ...).
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class JmhBenchmark {
}
