package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.train.EpochStats;
import dev.vae.train.TrainingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    private static String drive(boolean terminal) throws InterruptedException {
        StringWriter text = new StringWriter();
        TrainingProgress p = new TrainingProgress(new PrintWriter(text), terminal, 3);
        p.onStart(TrainingConfig.defaults(), 1000, 100);
        for (int b = 1; b <= 4; b++) {
            Thread.sleep(250);
            p.onBatchEnd(1, b, 250, 20.0 - b);
        }
        p.onEpochEnd(new EpochStats(1, 12.5, 10.0, 2.5, 11.0, 1.0, 1000.0));
        p.onEarlyStop(1, 1, 1);
        p.onStop("early stop", 1);
        return text.toString();
    }

    @Test
    void givenNoTerminal_whenAnEpochEnds_thenExactlyOnePlainLineIsPrintedPerEpoch() throws Exception {
        String out = drive(false);
        assertThat(out).doesNotContain("\r");
        assertThat(out.lines().filter(l -> l.startsWith("epoch ")).toList()).singleElement().satisfies(l -> assertThat(l)
                .contains("epoch 1/3").contains("loss 12.5000").contains("val 11.0000").contains("1,000 rows/s")
                .contains("left "));
        assertThat(out).contains("restoring epoch 1");
    }

    @Test
    void givenAnEnsembleOfTwo_whenEachMembersRunStarts_thenALineNamesTheMemberAndItsSeed() {
        StringWriter text = new StringWriter();
        TrainingProgress p = new TrainingProgress(new PrintWriter(text), false, 1, 2);
        for (long seed : new long[] {7, 99}) {
            p.onStart(TrainingConfig.builder().seed(seed).build(), 1000, 100);
            p.onEpochEnd(new EpochStats(1, 12.5, 10.0, 2.5, 11.0, 1.0, 1000.0));
            p.onStop("reached the maximum of 1 epochs", 1);
        }

        assertThat(text.toString().lines().map(l -> l.split("  ")[0]).toList())
                .containsExactly("member 1 of 2 (seed 7)", "epoch 1/1", "member 2 of 2 (seed 99)", "epoch 1/1");
    }

    @Test
    void givenOneNetwork_whenItsRunStarts_thenNoMemberLineIsPrinted() throws Exception {
        assertThat(drive(false)).doesNotContain("member");
    }

    @Test
    void givenATerminal_whenBatchesEnd_thenALiveLineShowsEpochShareRateAndTimeLeft() throws Exception {
        String out = drive(true);
        assertThat(out).contains("\repoch 1/3 [").contains("%").contains("rows/s").contains("left ");
        // The live loss is the running mean of the batches so far: after batches 1 and 2, (19 + 18) / 2.
        assertThat(out).contains("loss 18.5000");
        assertThat(out).contains("epoch 1/3  loss 12.5000");
    }
}
