package dev.vae.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the project's shared real data sets ({@code ../shared} beside the checkout). Tests that need a file
 * call {@link #require(String)}: on a developer's machine without the shared folder the test is skipped with the
 * path in the message; under CI ({@code CI=true}, as {@code .ci/run} runs) a missing file fails the test, because
 * a test that skips there proves nothing.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The shared folder: system property {@code vae.shared.dir}, else {@code ../shared} from the working directory or its parent. */
    public static Path root() {
        String prop = System.getProperty("vae.shared.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("data"))) {
                return candidate.normalize();
            }
        }
        return here.resolve("../shared").normalize();
    }

    /** The path of {@code relative} under the shared folder, e.g. {@code data/shuttle/shuttle.csv}. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /**
     * The path of a shared file. When it is absent: under CI an {@link AssertionError} naming the path, elsewhere the
     * calling test is skipped with the path in the message.
     */
    public static Path require(String relative) {
        return require(relative, isCi());
    }

    static Path require(String relative, boolean ci) {
        Path p = path(relative);
        if (!Files.isRegularFile(p)) {
            if (ci) {
                throw new AssertionError("shared file not found under CI=true (a test may not skip in CI): " + p);
            }
            Assumptions.abort("shared file not found, test skipped: " + p);
        }
        return p;
    }

    /** Whether the tests run under continuous integration ({@code CI=true} in the environment). */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
