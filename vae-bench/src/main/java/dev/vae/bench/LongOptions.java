package dev.vae.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmarks' command lines: {@code --name value} pairs, and {@code --flag} alone meaning {@code true}. */
public final class LongOptions {

    private LongOptions() {
    }

    /**
     * Parses {@code args} in order.
     *
     * @throws IllegalArgumentException naming an argument that is not an option
     */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument: " + a);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(a.substring(2), flag ? "true" : args[++i]);
        }
        return o;
    }
}
