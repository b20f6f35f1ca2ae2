package dev.vae.cli;

import dev.vae.core.io.AtomicFiles;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Micrometer registry whose meters a command writes, at its end, to a file in the Prometheus text exposition
 * format 0.0.4 (as micrometer-registry-prometheus renders it), for batch jobs, the node exporter's textfile
 * collector and push gateways. Any command can use it: register meters in {@link #registry()}, then
 * {@link #write()}. The file is replaced atomically, so a collector never reads half of it.
 */
final class MetricsFile {

    /** The content type of the Prometheus text format this class writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Path file;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** A metrics file to be written to {@code file}. */
    MetricsFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The registry to register the command's meters in. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The target path. */
    Path file() {
        return file;
    }

    /** The meters' current values in the Prometheus text format 0.0.4. */
    String text() {
        return registry.scrape(CONTENT_TYPE);
    }

    /** Atomically writes (or replaces) the file with the meters' current values. */
    void write() throws IOException {
        AtomicFiles.write(file, out -> registry.scrape(out, CONTENT_TYPE));
    }
}
