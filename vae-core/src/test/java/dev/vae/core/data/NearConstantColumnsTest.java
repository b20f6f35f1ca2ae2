package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearConstantColumnsTest {

    /** 100 rows: a = 99 zeros and one 7; b = constant; c = 98 zeros; d = 99 fives then a zero; e = half and half. */
    private static Table table() {
        float[][] rows = new float[100][];
        for (int i = 0; i < 100; i++) {
            rows[i] = new float[] {i == 42 ? 7 : 0, 3, i < 2 ? 1 : 0, i < 99 ? 5 : 0, i % 2};
        }
        return Table.of(List.of("a", "b", "c", "d", "e"), rows, null);
    }

    @Test
    void givenColumnsOfKnownShares_whenAskedAt99Percent_thenOnlyTheNearButNotFullyConstantOnesAreFound() {
        assertThat(table().nearConstantColumns(0.99)).containsExactly(0, 3);
        assertThat(table().nearConstantColumns(0.98)).containsExactly(0, 2, 3);
        assertThat(table().nearConstantColumns(0.5)).containsExactly(0, 2, 3, 4);
    }

    @Test
    void givenTheMajorityValueLast_whenVoted_thenItIsStillFound() {
        // The vote's candidate changes as the column is read: ones first, then the zeros that hold the majority.
        float[][] rows = new float[10][];
        for (int i = 0; i < 10; i++) {
            rows[i] = new float[] {i < 4 ? 1 : 0};
        }
        Table t = Table.of(List.of("x"), rows, null);
        assertThat(t.nearConstantColumns(0.6)).containsExactly(0);
        assertThat(t.nearConstantColumns(0.61)).isEmpty();
    }

    @Test
    void givenAShareOutsideItsRange_whenAsked_thenRefusedNamingIt() {
        assertThatThrownBy(() -> table().nearConstantColumns(1.0)).hasMessageContaining("1.0");
        assertThatThrownBy(() -> table().nearConstantColumns(0.4)).hasMessageContaining("0.4");
        assertThatThrownBy(() -> table().nearConstantColumns(Double.NaN)).hasMessageContaining("NaN");
    }
}
