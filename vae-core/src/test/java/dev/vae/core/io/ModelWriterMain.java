package dev.vae.core.io;

import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.nn.NativeNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link AtomicWriteKillTest}: saves two large models to one path, alternately, forever, and
 * prints {@code ready} after a first save and {@code saved N} after each later save, until it is killed.
 *
 * <p>The loop saves through {@link AtomicFiles#write} the bytes that {@link ModelFile#toBytes} made once (exactly what
 * {@link ModelFile#write(VaeModel, Path)} does, minus re-encoding), 8 KiB per call with a flush each, so that
 * nearly all of the loop's time is spent inside the write: most kills then land mid-save, the case under test.
 */
public final class ModelWriterMain {

    private ModelWriterMain() {
    }

    /** Two models of about 7 MB each: big enough that a kill usually lands inside a save. */
    static VaeModel model(long seed) {
        Architecture a = Architecture.defaults(784).withHidden(List.of(1000)).withLatentDim(50);
        return VaeModel.builder(NativeNetwork.initialize(a, seed)).seed(seed).build();
    }

    private static void save(byte[] bytes, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            for (int off = 0; off < bytes.length; off += 8192) {
                out.write(bytes, off, Math.min(8192, bytes.length - off));
                out.flush();
            }
        });
    }

    /** Arguments: the target path. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        byte[][] files = {ModelFile.toBytes(model(1)), ModelFile.toBytes(model(2))};
        // One save before "ready": the parent's random kill moments then fall among warm saves, not class loading.
        save(files[1], target);
        System.out.println("ready");
        System.out.flush();
        for (long i = 0; ; i++) {
            save(files[(int) (i & 1)], target);
            System.out.println("saved " + i);
            System.out.flush();
        }
    }
}
