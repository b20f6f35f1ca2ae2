package dev.vae.cli;

import dev.vae.train.EpochStats;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingListener;
import dev.vae.train.TrainingResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows a training run's progress: on a terminal, one line redrawn in place (epoch, share of the epoch done, the
 * epoch's running mean loss, rows/s, time left) and a summary line per epoch; otherwise (a log file, a pipe, CI) only the summary line
 * per epoch. Time left assumes every remaining epoch runs; early stopping may end the run sooner.
 *
 * <p>An ensemble's members train one after the other, each a run of its own that this listener hears from its start:
 * each start prints a line naming the member ({@code member 2 of 3 (seed S)}), and time left counts the members still
 * to train.
 */
final class TrainingProgress implements TrainingListener {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final int epochs;
    private final int members;
    private int member;
    private int trainRows;
    private long started;
    private long lastDraw;
    private long rowsDone;
    private long rowsInEpoch;
    private double lossInEpoch;
    private long lossRowsInEpoch;
    private boolean lineOpen;

    /** Progress for a run of at most {@code epochs} epochs, written to {@code out}; redrawn in place if {@code terminal}. */
    TrainingProgress(PrintWriter out, boolean terminal, int epochs) {
        this(out, terminal, epochs, 1);
    }

    /**
     * Progress for the runs of an ensemble of {@code members} networks (1 = one network), each of at most
     * {@code epochs} epochs, written to {@code out}; redrawn in place if {@code terminal}.
     */
    TrainingProgress(PrintWriter out, boolean terminal, int epochs, int members) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.members = members;
    }

    /**
     * What trimmed-loss training left out, from the model's provenance: for example {@code left out 2412 of 30932
     * training rows (7.8%) of highest loss (adaptive: the rows above the split of the losses, at most 30%)}; null when the run did not trim.
     */
    static @org.jspecify.annotations.Nullable String trimSummary(dev.vae.core.VaeModel model) {
        java.util.Map<String, String> p = model.provenance();
        String rows = p.get("result.trimmed-rows");
        String train = p.get("data.train-rows");
        if (rows == null || train == null) {
            return null;
        }
        int n = Integer.parseInt(rows);
        int of = Integer.parseInt(train);
        double cap = Double.parseDouble(p.getOrDefault("trainer.trim-fraction", "0"));
        boolean adaptive = Boolean.parseBoolean(p.get("trainer.trim-adaptive"));
        return String.format(Locale.ROOT, "left out %d of %d training rows (%.1f%%) of highest loss%s", n, of,
                100.0 * n / Math.max(1, of), adaptive
                        ? String.format(Locale.ROOT, " (adaptive: the rows above the split of the losses, at most %.0f%%)",
                        100 * cap) : " (a fixed share)");
    }

    /**
     * The summary of an ensemble's training, a line per member in member order: {@code member 2 of 3 (seed S): kept
     * epoch 14 of 20; early stop: ...}, and the member's trimming ({@link #trimSummary}) when it trimmed.
     *
     * @param result an ensemble's result, whose {@link TrainingResult#members()} are its members' runs
     */
    static List<String> ensembleSummary(TrainingResult result) {
        List<String> lines = new ArrayList<>();
        int n = result.members().size();
        for (int m = 0; m < n; m++) {
            TrainingResult member = result.members().get(m);
            String trimmed = trimSummary(member.model());
            lines.add(String.format(Locale.ROOT, "member %d of %d (seed %d): kept epoch %d of %d; %s%s", m + 1, n,
                    member.model().seed(), member.bestEpoch(), member.history().size(), member.stopReason(),
                    trimmed == null ? "" : "; trimming: the last epoch " + trimmed));
        }
        return lines;
    }

    /** Whether standard output and input are an interactive terminal. */
    static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public void onStart(TrainingConfig config, int rows, int validationRows) {
        member++;
        trainRows = rows;
        // Each member's run starts afresh: its rate is its own, not diluted by the time of the members before it.
        rowsDone = 0;
        started = System.nanoTime();
        lastDraw = started;
        if (members > 1) {
            closeLine();
            out.printf(Locale.ROOT, "member %d of %d (seed %d)%n", member, members, config.seed());
            out.flush();
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int rows, double meanLoss) {
        rowsDone += rows;
        rowsInEpoch += rows;
        if (!Double.isNaN(meanLoss)) { // NaN: trimming left the whole batch out of the gradient
            lossInEpoch += meanLoss * rows;
            lossRowsInEpoch += rows;
        }
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double rate = rate(now);
        long remaining = (long) (epochs - epoch) * trainRows + (trainRows - rowsInEpoch) + laterMembersRows();
        int filled = (int) (BAR * rowsInEpoch / Math.max(1, trainRows));
        String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
        out.printf(Locale.ROOT, "\repoch %d/%d [%s] %3d%%  loss %s  %,.0f rows/s  left %s   ", epoch, epochs, bar,
                100 * rowsInEpoch / Math.max(1, trainRows), format(lossInEpoch / Math.max(1, lossRowsInEpoch)), rate,
                duration(remaining / Math.max(rate, 1e-9)));
        out.flush();
        lineOpen = true;
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        rowsInEpoch = 0;
        lossInEpoch = 0;
        lossRowsInEpoch = 0;
        double rate = rate(System.nanoTime());
        long remaining = (long) (epochs - s.epoch()) * trainRows + laterMembersRows();
        closeLine();
        // With trimming, loss/recon/kl are the kept rows' (what the step minimised); the left-out rows' mean apart.
        String leftOut = s.leftOutRows() == 0 ? ""
                : String.format(Locale.ROOT, " (kept rows; %d rows out of the gradient: %s)", s.leftOutRows(),
                format(s.leftOutLoss()));
        out.printf(Locale.ROOT, "epoch %d/%d  loss %s%s  recon %s  kl %s  val %s  %,.0f rows/s  %.1fs  left %s%n",
                s.epoch(), epochs, format(s.loss()), leftOut, format(s.reconstruction()), format(s.kl()),
                Double.isNaN(s.validationLoss()) ? "-" : format(s.validationLoss()), s.rowsPerSecond(), s.seconds(),
                duration(remaining / Math.max(rate, 1e-9)));
        out.flush();
    }

    @Override
    public void onEarlyStop(int epoch, int bestEpoch, int patience) {
        closeLine();
        out.printf(Locale.ROOT, "early stop after epoch %d: no validation improvement for %d epochs; restoring epoch %d%n",
                epoch, patience, bestEpoch);
        out.flush();
    }

    @Override
    public void onStop(String reason, int bestEpoch) {
        closeLine();
        out.flush();
    }

    /** The rows the members after the current one will train on, if every epoch runs. */
    private long laterMembersRows() {
        return (long) Math.max(0, members - member) * epochs * trainRows;
    }

    private void closeLine() {
        if (lineOpen) {
            out.print("\r" + " ".repeat(100) + "\r");
            lineOpen = false;
        }
    }

    private double rate(long now) {
        return rowsDone / Math.max((now - started) / 1e9, 1e-9);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 ? "%.4g" : "%.4f", v);
    }

    /** A duration such as {@code 45s}, {@code 4m12s} or {@code 2h05m}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
