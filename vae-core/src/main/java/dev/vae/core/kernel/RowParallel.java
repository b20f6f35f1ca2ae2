package dev.vae.core.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Splits big row-wise jobs (scoring large batches) across the machine's cores.
 *
 * <p>Because the kernels are row-independent, a row's result is bit-identical whichever part computes it: the
 * split changes speed only. The helpers are daemon threads of one shared pool of {@code cores - 1} threads; the
 * caller computes the first part itself. Tasks never wait on other tasks, so concurrent callers cannot deadlock; a
 * job started from inside a part (a scorer's chunks, then a network's layers) runs inline on that part's thread.
 * The system property {@code vae.threads} caps the parts (1 turns splitting off).
 */
public final class RowParallel {

    /** Multiply-adds below which a job is not split: a hand-off costs tens of microseconds. */
    public static final long MIN_WORK_PER_PART = 2_000_000L;

    private static final int THREADS = threadsFromProperty();
    private static final ExecutorService POOL = THREADS > 1 ? Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "vae-rows");
        t.setDaemon(true);
        return t;
    }) : null;

    private RowParallel() {
    }

    private static int threadsFromProperty() {
        int cores = Runtime.getRuntime().availableProcessors();
        String p = System.getProperty("vae.threads");
        if (p == null) {
            return cores;
        }
        try {
            int t = Integer.parseInt(p.trim());
            if (t < 1) {
                throw new IllegalArgumentException("Invalid vae.threads: " + p + " (expected >= 1)");
            }
            return Math.min(t, cores);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid vae.threads: '" + p + "' (expected an integer)", e);
        }
    }

    /** Whether this thread is running a part of a job. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Runs one part with this thread marked as inside a job (restoring the mark it had). */
    private static void inside(IntConsumer task, int part) {
        Boolean before = INSIDE.get();
        INSIDE.set(Boolean.TRUE);
        try {
            task.accept(part);
        } finally {
            INSIDE.set(before);
        }
    }

    /**
     * Runs {@code action} with every row job it starts kept on the calling thread: for callers that are already
     * one of many parallel workers (a Spark task), where the shared pool would only oversubscribe the cores.
     */
    public static void onCallingThread(Runnable action) {
        inside(part -> action.run(), 0);
    }

    /** The most parts a job is split into. */
    public static int threads() {
        return THREADS;
    }

    /** How many parts {@code rows} rows of {@code macsPerRow} multiply-adds each are worth splitting into. */
    public static int parts(int rows, long macsPerRow) {
        long byWork = rows * Math.max(1, macsPerRow) / MIN_WORK_PER_PART;
        return (int) Math.max(1, Math.min(Math.min(THREADS, rows), byWork));
    }

    /**
     * Runs {@code block.accept(b)} for every block in {@code [0, blocks)} on up to {@code parts} threads (the calling
     * thread among them), each thread taking the next block not yet taken. A helper that starts late, because its
     * core is busy elsewhere, then takes fewer blocks instead of holding up the call with a fixed half of the rows,
     * and one that has not started when the blocks run out is not waited for. Returns when every block is done; an
     * exception of any block is rethrown.
     */
    public static void runBlocks(int parts, int blocks, IntConsumer block) {
        AtomicInteger next = new AtomicInteger();
        run(Math.min(parts, blocks), part -> {
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                block.accept(b);
            }
        }, true);
    }

    /**
     * Runs {@code task.accept(part)} for every part in {@code [0, parts)}, part 0 on the calling thread, and
     * returns when all are done. An exception of any part is rethrown.
     */
    public static void run(int parts, IntConsumer task) {
        run(parts, task, false);
    }

    /**
     * {@link #run(int, IntConsumer)}. If {@code optional}, a helper part that has not started when part 0 ends never
     * runs and is not waited for: whoever claims it first, the helper starting or the caller skipping, decides.
     * ({@code Future.cancel} cannot decide this: it also succeeds on a task that is already running.)
     */
    private static void run(int parts, IntConsumer task, boolean optional) {
        // A job started inside a part runs inline: its parts would otherwise queue behind the busy pool threads.
        if (parts <= 1 || POOL == null || INSIDE.get()) {
            for (int p = 0; p < Math.max(parts, 1); p++) {
                task.accept(p);
            }
            return;
        }
        Future<?>[] futures = new Future<?>[parts - 1];
        AtomicBoolean[] claimed = new AtomicBoolean[parts - 1];
        for (int p = 1; p < parts; p++) {
            int part = p;
            AtomicBoolean claim = new AtomicBoolean();
            claimed[p - 1] = claim;
            futures[p - 1] = POOL.submit(() -> {
                if (claim.compareAndSet(false, true)) {
                    inside(task, part);
                }
            });
        }
        RuntimeException failure = null;
        try {
            inside(task, 0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int i = 0; i < futures.length; i++) {
            if (optional && claimed[i].compareAndSet(false, true)) {
                continue;
            }
            try {
                futures[i].get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                if (failure == null) {
                    failure = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a row job", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
