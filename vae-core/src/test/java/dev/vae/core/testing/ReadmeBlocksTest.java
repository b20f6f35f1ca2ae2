package dev.vae.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeBlocksTest {

    @TempDir
    Path dir;

    @Test
    void givenTaggedLines_whenBlockRead_thenTheLinesBetweenWithoutTheirCommonIndent() throws Exception {
        Path source = dir.resolve("Example.java");
        Files.writeString(source, String.join("\n", "class Example {", "    void run() {", "        // tag::demo[]",
                "        int a = 1;", "", "        if (a > 0) {", "            a++;", "        }", "        // end::demo[]",
                "    }", "}", ""));
        assertThat(ReadmeBlocks.block(source, "demo")).isEqualTo("int a = 1;\n\nif (a > 0) {\n    a++;\n}\n");
        assertThat(ReadmeBlocks.javaBlock(source, "demo")).startsWith("```java\nint a = 1;\n").endsWith("}\n```");
    }

    @Test
    void givenAMissingOrUnclosedBlock_whenRead_thenRefusedNamingTheBlockAndFile() throws Exception {
        Path source = dir.resolve("Open.java");
        Files.writeString(source, "// tag::open[]\nint a = 1;\n");
        assertThatThrownBy(() -> ReadmeBlocks.block(source, "open")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag::open[]").hasMessageContaining("Open.java");
        assertThatThrownBy(() -> ReadmeBlocks.block(source, "absent")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag::absent[]");
    }

    @Test
    void givenTheProject_whenReadmeRead_thenItIsTheProjectsReadme() {
        assertThat(ReadmeBlocks.readme()).startsWith("# ");
    }
}
