package dev.vae.cli;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.score.ScoringMeters;
import dev.vae.anomaly.series.StreamingDetector;
import dev.vae.anomaly.series.StreamingDetector.ScoredPoint;
import dev.vae.anomaly.threshold.StreamState;
import dev.vae.anomaly.threshold.StreamingThreshold;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.cli.SharedOptions.MetricsOption;
import dev.vae.cli.SharedOptions.ModelOption;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.DataFormatException;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae stream}: scores a time series point by point as it arrives, with a threshold that follows it. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a time series as its points arrive (standard input, a file, or a file that grows with "
                + "--follow) with a model trained with --time-column, in constant memory. Writes row,time,score,threshold,"
                + "anomaly for each point as soon as it is scored: with the 'end' point rule at once, with 'center' half a "
                + "window later; the first window's points together. The threshold follows the stream (SPOT, or DSPOT "
                + "for drifting series), calibrated on the stream's first --calibration points (judged meanwhile by the "
                + "model's own threshold); its state is saved atomically beside the model and resumed on the next start.")
final class StreamCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOption modelFile;

    @Option(names = "--data", defaultValue = "-", paramLabel = "FILE",
            description = "CSV of points with the model's time column and value columns (default: - = standard input).")
    Path data;

    @Option(names = "--follow", description = "Keep reading a file as it grows, like tail -f, until interrupted (default: off).")
    boolean follow;

    @Option(names = "--threshold", defaultValue = "spot:0.001", paramLabel = "spot:Q|dspot:Q[:DEPTH]",
            description = "The streaming threshold: spot:Q flags the scores a normal point exceeds with probability Q; "
                    + "dspot:Q does so relative to the mean of the last DEPTH normal scores, for a drifting level "
                    + "(default: ${DEFAULT-VALUE}). Ignored when a saved state is resumed.")
    String threshold;

    @Option(names = "--calibration", defaultValue = "1000", paramLabel = "N",
            description = "Points whose scores calibrate the streaming threshold (default: ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--state", paramLabel = "FILE",
            description = "The threshold's state: resumed when it exists, saved every --save-every points and at the end "
                    + "(default: the model file's name + .stream-state).")
    Path state;

    @Option(names = "--fresh", description = "Ignore a saved state and calibrate again (the file is replaced) (default: off).")
    boolean fresh;

    @Option(names = "--save-every", defaultValue = "1000", paramLabel = "N",
            description = "Points between two saves of the state (default: ${DEFAULT-VALUE}).")
    int saveEvery;

    @Mixin
    MetricsOption metrics;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = common.err();
        Errors.flag("--calibration", calibration, 2, Integer.MAX_VALUE);
        Errors.flag("--save-every", saveEvery, 1, Integer.MAX_VALUE);
        VaeModel model = modelFile.read();
        SeriesLayout layout = SeriesLayout.of(model).orElseThrow(() -> new IllegalArgumentException(
                "vae stream needs a time-series model (vae train --time-column ...); " + modelFile.path
                        + " scores independent rows: use vae score"));
        Scorer scorer = new Scorer(model);
        Path statePath = state != null ? state : StreamState.besideModel(modelFile.path);
        StreamingDetector detector;
        if (Files.exists(statePath) && !fresh) {
            // A state learnt the scores of the model it was saved with; a model written later (retrained, replaced)
            // scores on another scale, so its old threshold would mean nothing.
            if (Files.getLastModifiedTime(modelFile.path).compareTo(Files.getLastModifiedTime(statePath)) > 0) {
                throw new IllegalArgumentException("The model " + modelFile.path + " is newer than the stream state "
                        + statePath + ", which was learnt on another model's scores; pass --fresh to calibrate again");
            }
            StreamingThreshold resumed = StreamingThreshold.load(statePath);
            detector = new StreamingDetector(scorer, resumed);
            log.printf(Locale.ROOT, "stream: resumed the threshold from %s (%d scores seen, threshold %.6g nats)%n",
                    statePath, resumed.observations(), resumed.threshold());
        } else {
            ThresholdSpec s = ThresholdSpec.parse(threshold);
            detector = StreamingDetector.calibrating(scorer, s, calibration, model.threshold());
            log.printf(Locale.ROOT, "stream: %s; calibrating %s on the first %d points%s%n", layout, s.id(), calibration,
                    model.threshold() == null ? "" : String.format(Locale.ROOT,
                            " (flagged meanwhile above the model's %.6g nats)", model.threshold().value()));
        }
        log.flush();
        MeterRegistry registry = metrics.registry();
        ScoringMeters meters = registry == null ? null : ScoringMeters.moving(scorer, registry);
        CsvOptions options = new CsvOptions(null, java.util.Set.of(), layout.valueColumns())
                .withTextColumn(layout.timeColumn()).allowingMissing();
        boolean stdin = SharedOptions.DataOption.isStdin(data);
        InputStream in = stdin ? System.in : Files.newInputStream(data);
        if (follow && !stdin) {
            in = new FollowingInputStream(in);
        }
        StreamingDetector d = detector;
        Thread saveOnExit = new Thread(() -> save(d, statePath));
        Runtime.getRuntime().addShutdownHook(saveOnExit);
        Writer out = common.out();
        long since = 0;
        try (CsvReader reader = CsvReader.open(in, stdin ? "standard input" : data.toString(), options)) {
            out.write("row,time,score,threshold,anomaly\n");
            out.flush();
            float[] values = new float[layout.valueColumns().size()];
            String[] time = new String[1];
            // The time as the input wrote it, for each point not yet written (points leave in input order).
            java.util.ArrayDeque<String> times = new java.util.ArrayDeque<>();
            while (reader.read(values, null, time, 1) == 1) {
                double t;
                try {
                    t = Timestamps.parse(time[0]);
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(reader.source() + ":" + reader.line() + ": column '" + layout.timeColumn()
                            + "': " + e.getMessage());
                }
                long t0 = System.nanoTime();
                List<ScoredPoint> scored;
                synchronized (detector) {
                    scored = detector.accept(t, values);
                }
                long elapsed = System.nanoTime() - t0;
                times.add(time[0]);
                write(out, scored, times, meters, elapsed);
                if (++since >= saveEvery) {
                    save(detector, statePath);
                    since = 0;
                }
            }
            List<ScoredPoint> rest;
            synchronized (detector) {
                rest = detector.finish();
            }
            write(out, rest, times, meters, 0);
        } finally {
            out.flush();
        }
        save(detector, statePath);
        Runtime.getRuntime().removeShutdownHook(saveOnExit);
        if (detector.points() > 0 && detector.points() < layout.window()) {
            log.printf(Locale.ROOT, "stream: ended after %d points, fewer than a window of %d: none could be scored%n",
                    detector.points(), layout.window());
        }
        if (detector.unorderedPoints() > 0) {
            log.printf(Locale.ROOT, "stream: %d points whose time did not move forward were taken as the next step%n",
                    detector.unorderedPoints());
        }
        log.flush();
        metrics.write();
        return 0;
    }

    private static void write(Writer out, List<ScoredPoint> scored, java.util.ArrayDeque<String> times,
                              ScoringMeters meters, long elapsed) throws IOException {
        if (scored.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(64 * scored.size());
        for (ScoredPoint p : scored) {
            b.append(p.row()).append(',').append(ScoreCommand.csvName(times.poll())).append(',').append(p.score()).append(',')
                    .append(Double.isNaN(p.threshold()) ? "" : Double.toString(p.threshold())).append(',')
                    .append(Double.isNaN(p.threshold()) ? "" : p.anomaly() ? "1" : "0").append('\n');
            if (meters != null) {
                meters.recordPoint(elapsed / scored.size(), p.score(), p.threshold());
            }
        }
        out.write(b.toString());
        out.flush();
    }

    /** Saves the threshold's state when it has one (after calibration); the previous file survives a failure. */
    private static void save(StreamingDetector detector, Path path) {
        synchronized (detector) {
            StreamingThreshold t = detector.threshold();
            if (t == null) {
                return;
            }
            try {
                t.save(path);
            } catch (IOException e) {
                System.err.println("vae stream: could not save the threshold's state to " + path + ": " + e.getMessage());
            }
        }
    }

    /** An input stream that waits for more data at the end of a file instead of ending (tail -f). */
    static final class FollowingInputStream extends InputStream {
        private final InputStream in;

        FollowingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                int n = in.read(b, off, len);
                if (n != -1) {
                    return n;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
