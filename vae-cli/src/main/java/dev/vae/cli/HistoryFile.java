package dev.vae.cli;

import dev.vae.train.EpochStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads back the per-epoch history that {@code vae train --history} writes (our own JSON layout, nothing more). */
final class HistoryFile {

    private static final Pattern EPOCH = Pattern.compile("\\{[^{}]*\"epoch\"[^{}]*}");

    private HistoryFile() {
    }

    static List<EpochStats> read(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        List<EpochStats> epochs = new ArrayList<>();
        Matcher m = EPOCH.matcher(json);
        while (m.find()) {
            String o = m.group();
            EpochStats s = new EpochStats((int) number(o, "epoch", file), number(o, "loss", file),
                    number(o, "reconstruction", file), number(o, "kl", file), number(o, "validation_loss", file),
                    number(o, "seconds", file), number(o, "rows_per_s", file));
            // Histories written before the split was reported lack it: their loss (the all-rows mean then) stands alone.
            if (o.contains("\"left_out_rows\"")) {
                s = new EpochStats(s.epoch(), s.loss(), s.reconstruction(), s.kl(), s.validationLoss(), s.seconds(),
                        s.rowsPerSecond(), number(o, "all_rows_loss", file), number(o, "left_out_loss", file),
                        (int) number(o, "left_out_rows", file));
            }
            epochs.add(s);
        }
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException(file + ": not a history written by 'vae train --history' (no epochs found)");
        }
        return epochs;
    }

    private static double number(String object, String key, Path file) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(null|-?[0-9.eE+-]+)").matcher(object);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": epoch entry without \"" + key + "\": " + object);
        }
        return m.group(1).equals("null") ? Double.NaN : Double.parseDouble(m.group(1));
    }
}
