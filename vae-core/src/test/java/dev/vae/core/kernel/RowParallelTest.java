package dev.vae.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Dynamic blocks: each runs exactly once, failures reach the caller, and nested jobs stay on their thread. */
class RowParallelTest {

    @Test
    void givenManyBlocks_whenRun_thenEveryBlockRunsExactlyOnce() {
        // Many short runs: a helper that starts while the caller is finishing the last blocks is the case to catch
        // (the caller must then wait for the block the helper took).
        int[] sizes = new int[206];
        int[] small = {0, 1, 2, 3, 17, 1000};
        System.arraycopy(small, 0, sizes, 0, small.length);
        Arrays.fill(sizes, small.length, sizes.length, 300);
        for (int blocks : sizes) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(blocks, 1));
            RowParallel.runBlocks(RowParallel.threads(), blocks, runs::incrementAndGet);
            for (int b = 0; b < blocks; b++) {
                assertThat(runs.get(b)).as("block %d of %d", b, blocks).isEqualTo(1);
            }
        }
    }

    @Test
    void givenAFailingBlock_whenRun_thenItsExceptionReachesTheCaller() {
        assertThatThrownBy(() -> RowParallel.runBlocks(2, 50, b -> {
            if (b == 37) {
                throw new IllegalStateException("block 37 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("block 37 failed");
    }

    @Test
    void givenBlocksStartedInsideABlock_whenRun_thenTheyRunOnThatBlocksThread() {
        ConcurrentHashMap<Integer, Boolean> sameThread = new ConcurrentHashMap<>();
        RowParallel.runBlocks(2, 8, outer -> {
            Thread mine = Thread.currentThread();
            RowParallel.runBlocks(2, 4, inner -> sameThread.merge(outer, Thread.currentThread() == mine,
                    Boolean::logicalAnd));
        });
        assertThat(sameThread).hasSize(8).doesNotContainValue(false);
    }
}
