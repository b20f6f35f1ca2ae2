package dev.vae.core.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.ScoreKind;
import dev.vae.core.nn.Activation;
import dev.vae.core.scale.ScalingKind;
import org.junit.jupiter.api.Test;

class IdentifiedTest {

    /** An enum with one identifier of its own and one derived from its name. */
    enum Policy implements Identified {
        FAIL_FAST,
        NULL_SCORE {
            @Override
            public String id() {
                return "null";
            }
        }
    }

    @Test
    void givenEnumNames_whenIdentified_thenLowerCaseWithHyphensUnlessAConstantSaysOtherwise() {
        assertThat(ScoreKind.NEGATIVE_ELBO.id()).isEqualTo("negative-elbo");
        assertThat(ScalingKind.MIN_MAX.id()).isEqualTo("min-max");
        assertThat(Activation.TANH.id()).isEqualTo("tanh");
        assertThat(Policy.FAIL_FAST.id()).isEqualTo("fail-fast");
        assertThat(Policy.NULL_SCORE.id()).isEqualTo("null");
    }

    @Test
    void givenTextInAnyCaseWithSpaces_whenParsed_thenItsConstantIsFound() {
        assertThat(Identified.parse(Policy.class, "  Fail-Fast ", "policy")).isEqualTo(Policy.FAIL_FAST);
        assertThat(Identified.parse(Policy.class, "NULL", "policy")).isEqualTo(Policy.NULL_SCORE);
        assertThat(Identified.parse(ScoreKind.class, "iwae", "score")).isEqualTo(ScoreKind.IWAE);
    }

    @Test
    void givenAnUnknownIdentifier_whenParsed_thenTheMessageNamesTheTextAndEveryIdentifierInOrder() {
        assertThatThrownBy(() -> Identified.parse(Policy.class, "maybe", "null policy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown null policy 'maybe': expected fail-fast or null");
        assertThatThrownBy(() -> Activation.parse("gelu"))
                .hasMessage("Unknown activation 'gelu': expected relu, tanh, sigmoid or identity");
        assertThatThrownBy(() -> ScoreKind.parse(""))
                .hasMessage("Unknown score '': expected negative-elbo, reconstruction or iwae");
    }
}
