package dev.vae.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class SharedDataTest {

    @Test
    void givenAMissingSharedFile_whenRequiredUnderCi_thenTheTestFailsNamingThePath() {
        assertThatThrownBy(() -> SharedData.require("data/no-such-set/none.csv", true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI=true").hasMessageContaining("no-such-set/none.csv");
    }

    @Test
    void givenAMissingSharedFile_whenRequiredOutsideCi_thenTheTestIsSkippedNamingThePath() {
        assertThatThrownBy(() -> SharedData.require("data/no-such-set/none.csv", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no-such-set/none.csv");
    }

    @Test
    void givenAPresentSharedFile_whenRequired_thenItsPathIsReturned() {
        assertThat(SharedData.require("data/shuttle/shuttle.csv", true)).isRegularFile();
    }
}
