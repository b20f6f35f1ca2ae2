package dev.vae.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch peer ({@code vae_bench.py}) as a child process and reads its {@code results.json}, flattened
 * to dotted keys by the same Python interpreter (so no JSON library is needed here).
 */
final class Peer {

    private static final String FLATTEN = String.join("\n",
            "import json, sys",
            "def walk(p, v):",
            "    if isinstance(v, dict):",
            "        for k, x in v.items(): walk(p + [str(k)], x)",
            "    elif isinstance(v, (int, float)) and not isinstance(v, bool): print('.'.join(p) + '=' + repr(float(v)))",
            "walk([], json.load(open(sys.argv[1])))");

    private final Path python;
    private final Path script;

    Peer(Path python, Path script) {
        this.python = python;
        this.script = script;
    }

    /** Whether the interpreter and the script exist. */
    boolean available() {
        return Files.isExecutable(python) && Files.isRegularFile(script);
    }

    /** Runs the peer with {@code args} plus {@code --out}; returns the flattened numbers of its results. */
    Map<String, Double> run(List<String> args, Map<String, String> env, Path log) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("vae-bench-peer");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString()));
        cmd.addAll(args);
        cmd.add("--out");
        cmd.add(out.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.directory(script.getParent().toFile());
        // The peer sets its own thread counts (--threads, --blas-threads); an inherited cap would override them.
        pb.environment().remove("OPENBLAS_NUM_THREADS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("The peer timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("The peer failed with exit code " + p.exitValue() + " (log: " + log + "): " + cmd);
        }
        Process f = new ProcessBuilder(python.toString(), "-c", FLATTEN, out.resolve("results.json").toString())
                .redirectErrorStream(true).start();
        String text = new String(f.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        f.waitFor(1, TimeUnit.MINUTES);
        Map<String, Double> values = new TreeMap<>();
        for (String line : text.split("\n")) {
            int eq = line.lastIndexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
            }
        }
        return values;
    }

    /** The best (largest) of the values whose keys match {@code regex}. */
    static OptionalDouble best(Map<String, Double> values, String regex) {
        return values.entrySet().stream().filter(e -> e.getKey().matches(regex))
                .mapToDouble(Map.Entry::getValue).max();
    }

    /** The smallest of the values whose keys match {@code regex}. */
    static OptionalDouble least(Map<String, Double> values, String regex) {
        return values.entrySet().stream().filter(e -> e.getKey().matches(regex))
                .mapToDouble(Map.Entry::getValue).min();
    }
}
