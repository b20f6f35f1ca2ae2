package dev.vae.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package graph of vae-core's main sources: which package refers to which, read from the code (imports and
 * fully qualified names; comments, strings and reflection by name do not count), and the package cycles in it.
 */
class PackageCyclesTest {

    private static final String ROOT = "dev.vae.core";

    @Test
    void givenVaeCoreMainSources_whenPackageCyclesAreSought_thenThereIsNone() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources.resolve("dev/vae/core/VaeModel.java")).as("vae-core's sources, from the module folder")
                .isRegularFile();
        Map<String, Set<String>> graph = packageGraph(sources, ROOT);
        assertThat(graph).containsKeys(ROOT, ROOT + ".nn", ROOT + ".likelihood", ROOT + ".kernel");
        // The last cycle (VaeModel holds a VaeNetwork, core -> nn; the networks were described by Architecture and
        // ModelType in core, nn -> core) went when those two moved into nn.
        assertThat(cycles(graph)).as("package cycles in %s", graph).isEmpty();
    }

    @Test
    void givenHandWrittenSources_whenScanned_thenImportsAndQualifiedNamesInCodeAreTheEdges(@TempDir Path dir)
            throws IOException {
        write(dir, "x/a/A.java", """
                package x.a;

                import x.b.B;
                import static x.c.C.Inner.value;
                import x.d.*;
                import java.util.List;

                /** Not an edge: {@link x.e.E}. */
                class A {
                    // Not an edge: x.f.F
                    String s = "x.g.G // /* '";
                    char q = '"';
                    Object h = new x.h.inner.H();
                    List<B> self = new java.util.ArrayList<x.a.A>();
                    String t = \"""
                            x.i.I
                            \""";
                }
                """);
        write(dir, "x/b/B.java", "package x.b;\n\npublic class B {\n    x.a.A back = null; /* x.j.J */\n}\n");
        write(dir, "y/Y.java", "package y;\n\nclass Y {\n    x.a.A outside;\n}\n");

        Map<String, Set<String>> graph = packageGraph(dir, "x.");

        assertThat(graph).containsOnlyKeys("x.a", "x.b");
        assertThat(graph.get("x.a")).containsExactly("java.util", "x.b", "x.c", "x.d", "x.h.inner");
        assertThat(graph.get("x.b")).containsExactly("x.a");
    }

    @Test
    void givenGraphsWithKnownCycles_whenCyclesAreFound_thenEachStronglyConnectedGroupIsReportedOnce() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", Set.of("b"));
        graph.put("b", Set.of("c"));
        graph.put("c", Set.of("a", "d"));
        graph.put("d", Set.of("e"));
        graph.put("e", Set.of("d", "x"));
        graph.put("f", Set.of("a"));

        assertThat(cycles(graph)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")), new TreeSet<>(Set.of("d", "e")));

        Map<String, Set<String>> layered = new TreeMap<>(Map.of("top", Set.of("mid", "low"), "mid", Set.of("low")));
        assertThat(cycles(layered)).isEmpty();
    }

    /**
     * For each package under {@code sources} whose name starts with {@code prefix}, the other packages its code
     * refers to (all of them, also those outside the prefix).
     */
    static Map<String, Set<String>> packageGraph(Path sources, String prefix) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String code = codeOnly(Files.readString(file));
            Matcher declared = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;").matcher(code);
            if (!declared.find()) {
                throw new AssertionError(file + ": no package declaration");
            }
            String pkg = declared.group(1);
            if (!pkg.startsWith(prefix)) {
                continue;
            }
            Set<String> targets = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (String target : referencedPackages(code.substring(declared.end()))) {
                if (!target.equals(pkg)) {
                    targets.add(target);
                }
            }
        }
        return graph;
    }

    /**
     * The packages of the imports in {@code code} and of the qualified names in the rest of it: a name's package is
     * its segments before the first capitalised one (a type), or all of them before a wildcard. Outside imports only
     * names of two or more lowercase segments count (a single one would be a variable, as in {@code list.size}).
     */
    private static Set<String> referencedPackages(String code) {
        Set<String> out = new TreeSet<>();
        Matcher imports = Pattern.compile("(?m)^\\s*import\\s+(?:static\\s+)?([\\w.]+?)\\.(?:\\*|[A-Z][\\w.]*)\\s*;")
                .matcher(code);
        while (imports.find()) {
            out.add(imports.group(1));
        }
        Matcher qualified = Pattern.compile("\\b([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)+)\\.[A-Z]")
                .matcher(imports.reset().replaceAll(" "));
        while (qualified.find()) {
            out.add(qualified.group(1));
        }
        return out;
    }

    /** The source without comments, string, text-block and character literals, which hold no dependency. */
    private static String codeOnly(String source) {
        // One pass, leftmost first, so that a quote inside a comment or a comment marker inside a string is skipped.
        return Pattern.compile("(?s)\"\"\".*?\"\"\"|/\\*.*?\\*/|//[^\n]*|\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\\n])+'")
                .matcher(source).replaceAll(" ");
    }

    /**
     * The cycles of a directed graph, as its strongly connected groups of more than one node (a package cannot refer
     * to itself here), each sorted, in the order of their least members. Two nodes are in one group when each
     * reaches the other.
     */
    static List<TreeSet<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Set<String>> reach = new TreeMap<>();
        for (String start : graph.keySet()) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(graph.get(start));
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (seen.add(n)) {
                    todo.addAll(graph.getOrDefault(n, Set.of()));
                }
            }
            reach.put(start, seen);
        }
        List<TreeSet<String>> groups = new ArrayList<>();
        Set<String> grouped = new HashSet<>();
        for (String a : reach.keySet()) {
            if (grouped.contains(a)) {
                continue;
            }
            TreeSet<String> group = new TreeSet<>();
            for (String b : reach.keySet()) {
                if (reach.get(a).contains(b) && reach.get(b).contains(a)) {
                    group.add(b);
                }
            }
            if (group.size() > 1) {
                groups.add(group);
                grouped.addAll(group);
            }
        }
        return groups;
    }

    private static void write(Path dir, String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
