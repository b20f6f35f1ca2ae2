package dev.vae.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes files so that a reader sees either the old file or the whole new one: the bytes go to a temporary file
 * in the same folder, are forced to disk, and the temporary file is renamed over the target; then the folder is
 * forced too. A crash at any point leaves the previous file intact.
 *
 * <p>Temporary files are named {@code .<target name>.<random>.tmp} and are locked ({@link FileLock}) by their
 * writer until the rename. A process killed mid-write leaves its temporary file behind (nothing can run at a
 * {@code SIGKILL}); the next write of the same target deletes every such file whose lock it can take, that is every
 * one whose writer is dead, and never one that a live writer (in this or another process) still holds. Two
 * processes writing the same target at the same instant can make one of them fail with an {@link IOException}; the
 * target is never damaged. A file system that cannot rename atomically gets an {@link IOException}, never a
 * non-atomic move.
 */
public final class AtomicFiles {

    /** Suffix of every temporary file this class creates. */
    public static final String TEMP_SUFFIX = ".tmp";

    /** Temporary files this JVM is writing now: never cleaned up from under their writer. */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The rename over the target; a seam so that tests can play a file system without atomic renames. */
    @FunctionalInterface
    interface AtomicMove {
        /** Renames {@code from} over {@code to} atomically, or throws {@link AtomicMoveNotSupportedException}. */
        void move(Path from, Path to) throws IOException;
    }

    private static final AtomicMove FILES_MOVE =
            (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content. */
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code writer} writes.
     *
     * @throws IOException when the target is a folder, the folder cannot be written, {@code writer} fails, or the
     *                     file system cannot rename atomically; the previous target is then unchanged and the
     *                     temporary file removed
     */
    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, FILES_MOVE);
    }

    static void write(Path target, Writer writer, AtomicMove rename) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(abs.toString(), null, "is a folder, cannot write a file over it");
        }
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        removeStaleTemporaries(abs);
        Path tmp = abs.resolveSibling(tempPrefix(abs) + Long.toUnsignedString(RANDOM.nextLong(), 36) + TEMP_SUFFIX);
        IN_FLIGHT.add(tmp);
        boolean moved = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(ch);
            OutputStream out = Channels.newOutputStream(ch);
            writer.write(out);
            out.flush();
            ch.force(true);
            // Renamed while still locked, so that no cleaner can mistake it for an orphan in between.
            try {
                rename.move(tmp, abs);
            } catch (AtomicMoveNotSupportedException e) {
                // No silent fallback: a non-atomic move may delete the target before copying over it, so a crash
                // would lose the previous file and a reader could see half of the new one.
                FileSystemException refused = new FileSystemException(abs.toString(), null, "cannot be replaced"
                        + " atomically, the file system does not support an atomic rename ("
                        + (e.getReason() != null ? e.getReason() : e.getMessage())
                        + "); the previous file is unchanged: write to a local file system");
                refused.initCause(e);
                throw refused;
            }
            moved = true;
            if (lock != null) {
                lock.release();
            }
        } finally {
            IN_FLIGHT.remove(tmp);
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        forceDirectory(dir);
    }

    /** Whether {@code file} is named like a temporary file of a write to {@code target}. */
    public static boolean isTemporaryFor(Path file, Path target) {
        String name = file.getFileName().toString();
        String prefix = tempPrefix(target.toAbsolutePath());
        return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX) && name.length() > prefix.length() + TEMP_SUFFIX.length();
    }

    /**
     * Deletes the temporary files that dead writers of {@code target} left behind (a killed process cannot clean up).
     * Best effort: a file that cannot be locked or deleted is left alone.
     *
     * @return how many were deleted
     */
    public static int removeStaleTemporaries(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> isTemporaryFor(f, abs))) {
            files.forEach(candidates::add);
        } catch (IOException e) {
            return 0;
        }
        int removed = 0;
        for (Path f : candidates) {
            // Our own writers are skipped without opening the file: closing any channel on a file would drop
            // this JVM's POSIX lock on it.
            if (IN_FLIGHT.contains(f)) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    Files.deleteIfExists(f);
                    removed++;
                    lock.release();
                }
            } catch (IOException | OverlappingFileLockException e) {
                // In use, gone already, or locks unsupported here: leave it.
            }
        }
        return removed;
    }

    private static String tempPrefix(Path abs) {
        return "." + abs.getFileName() + ".";
    }

    private static @Nullable FileLock tryLock(FileChannel ch) {
        try {
            return ch.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            // File systems without locks still get the atomic rename; only orphan clean-up is weaker there.
            return null;
        }
    }

    private static void forceDirectory(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory; the rename itself is already atomic there.
        }
    }
}
