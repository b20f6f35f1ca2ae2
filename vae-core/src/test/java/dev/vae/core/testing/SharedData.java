package dev.vae.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the project's shared real data sets ({@code ../shared} beside the checkout). Tests that need a file
 * call {@link #require(String)}, which skips the test with a clear message only when the file is absent.
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

    /** The path of a shared file; skips the calling test (with the path in the message) when it is absent. */
    public static Path require(String relative) {
        Path p = path(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), "shared file not found, test skipped: " + p);
        return p;
    }
}
