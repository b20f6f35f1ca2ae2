package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.UnreadableFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad model-file case of docs/bad-input.md with the exact message the user sees. */
class ModelFileBadInputTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void givenAMissingPathOrAFolder_whenRead_thenEachIsNamed() {
        Path missing = dir.resolve("none.vae");
        assertThatThrownBy(() -> ModelFile.read(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> ModelFile.read(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir + ": is a folder, not a model file");
    }

    @Test
    void givenACsvAnEmptyFileOrAHeaderOnly_whenRead_thenTheyAreRefusedAsNotModels() throws Exception {
        Path csv = write("data.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelFile.read(csv)).hasMessage(csv + ": not a VAE model file (bad magic number)");
        Path empty = write("empty.vae", new byte[0]);
        assertThatThrownBy(() -> ModelFile.read(empty)).hasMessage(empty + ": not a VAE model file (bad magic number)");
        byte[] bytes = ModelFile.toBytes(ModelFileFuzzTest.model());
        Path head = write("head.vae", Arrays.copyOf(bytes, 30));
        assertThatThrownBy(() -> ModelFile.read(head)).isInstanceOf(ModelFormatException.class)
                .hasMessage(head + ": truncated model file (30 bytes, header needs 52)");
        Path cut = write("cut.vae", Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> ModelFile.read(cut)).hasMessage(cut + ": truncated model file (payload should be "
                + (bytes.length - 52) + " bytes, found " + (bytes.length - 62) + ")");
        Path longer = write("longer.vae", Arrays.copyOf(bytes, bytes.length + 3));
        assertThatThrownBy(() -> ModelFile.read(longer)).hasMessageContaining("trailing bytes in model file");
    }

    @Test
    void givenACorruptedPayloadOrANewerVersion_whenRead_thenTheMessageSaysWhich() throws Exception {
        byte[] bytes = ModelFile.toBytes(ModelFileFuzzTest.model());
        byte[] corrupted = bytes.clone();
        corrupted[200] ^= 1;
        Path c = write("c.vae", corrupted);
        assertThatThrownBy(() -> ModelFile.read(c)).hasMessage(c + ": corrupted model file (checksum mismatch)");
        byte[] newer = bytes.clone();
        newer[11] = (byte) (ModelFile.FORMAT_VERSION + 1);
        Path v = write("v.vae", newer);
        assertThatThrownBy(() -> ModelFile.read(v)).hasMessage(v + ": model file format version "
                + (ModelFile.FORMAT_VERSION + 1) + " is newer than this build supports (" + ModelFile.FORMAT_VERSION
                + "); upgrade the library to read it");
        byte[] zero = bytes.clone();
        zero[11] = 0;
        Path z = write("z.vae", zero);
        assertThatThrownBy(() -> ModelFile.read(z)).hasMessage(z + ": invalid model file format version 0");
    }

    @Test
    void givenAnOversizedStream_whenRead_thenItIsRefusedBySize() throws Exception {
        byte[] bytes = ModelFile.toBytes(ModelFileFuzzTest.model());
        assertThat(ModelFile.read(new ByteArrayInputStream(bytes), "stream").seed()).isEqualTo(5);
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream(Arrays.copyOf(bytes, 40)), "stream"))
                .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("stream: truncated");
    }

    @Test
    void givenAFolderAsTheTarget_whenWritten_thenItIsRefusedAndTheFolderKept() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("out.vae"));
        assertThatThrownBy(() -> ModelFile.write(ModelFileFuzzTest.model(), folder)).isInstanceOf(FileSystemException.class)
                .hasMessage(folder + ": is a folder, cannot write a file over it");
        assertThat(folder).isDirectory();
    }

    @Test
    void givenAnUnreadableFile_whenRead_thenPermissionIsNamed() throws Exception {
        Path p = UnreadableFile.from(write("locked.vae", ModelFile.toBytes(ModelFileFuzzTest.model())));
        assertThatThrownBy(() -> ModelFile.read(p)).isInstanceOf(ModelFormatException.class)
                .hasMessage(p + ": cannot be read (permission denied)");
    }
}
