package dev.vae.cli.report;

import dev.vae.core.Threshold;
import dev.vae.train.EpochStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes a folder of pictures about a model and a data set, and the {@code index.html} that shows them together:
 * the training curve (when the history is known), the score histogram with the threshold line, the ROC and
 * precision-recall curves (with labels), the mean per-feature contributions, and image grids for image data.
 * {@code vae demo} and {@code vae report} both write through this class.
 */
public final class Report {

    /** One picture of the report: its file name in the folder, a title and a sentence saying how to read it. */
    public record Picture(String file, String title, String caption) {
    }

    private final Path dir;
    private final String title;
    private final List<String> summary = new ArrayList<>();
    private final List<Picture> pictures = new ArrayList<>();

    /** A report written into {@code dir} (created when missing). */
    public Report(Path dir, String title) throws IOException {
        this.dir = dir;
        this.title = title;
        Files.createDirectories(dir);
    }

    /** Adds a line to the summary shown above the pictures. */
    public Report summary(String line) {
        summary.add(line);
        return this;
    }

    /** The pictures written so far. */
    public List<Picture> pictures() {
        return List.copyOf(pictures);
    }

    /** The training curve; skipped when {@code history} is null or empty. */
    public void trainingCurve(@Nullable List<EpochStats> history) throws IOException {
        if (history == null || history.isEmpty()) {
            return;
        }
        Charts.trainingCurve(history, dir.resolve("training-curve.png"));
        pictures.add(new Picture("training-curve.png", "Training curve", trainingCurveCaption(history)));
    }

    /** What each line of the training curve is; the trimming sentences only when the run left rows out. */
    static String trainingCurveCaption(List<EpochStats> history) {
        EpochStats first = history.stream().filter(s -> s.leftOutRows() > 0).findFirst().orElse(null);
        int most = history.stream().mapToInt(EpochStats::leftOutRows).max().orElse(0);
        StringBuilder c = new StringBuilder("Per epoch, in nats per row: '" + Charts.TRAINING_LOSS + "' is the "
                + "negative ELBO (reconstruction + beta * KL) that the gradient steps minimised");
        if (first != null) {
            c.append(String.format(Locale.ROOT, ": from epoch %d, trimmed-loss training leaves the training rows of "
                    + "highest loss in the previous epoch out of the gradient (up to %d rows), so this is the mean over "
                    + "the rows kept in it. '%s' is the mean loss of the left-out rows, a line of its own on the right-hand axis: it rises as "
                    + "the model stops explaining them, which is the point of trimming, not divergence", first.epoch(),
                    most, Charts.LEFT_OUT_LOSS));
        }
        c.append(". '" + Charts.VALIDATION_LOSS + "' is the negative ELBO at z = mu of the held-out validation rows");
        if (first != null) {
            c.append(" without their highest share, as they contain anomalies too");
        }
        c.append("; '" + Charts.KL + "' is the KL part of the training loss. Training keeps the weights of the epoch "
                + "with the lowest validation loss.");
        return c.toString();
    }

    /** The histogram of scores, split by label when labels are given, with the threshold line when there is one. */
    public void scoreHistogram(double[] scores, int @Nullable [] labels, @Nullable Threshold threshold)
            throws IOException {
        Charts.scoreHistogram(scores, labels, threshold == null ? null : threshold.value(),
                dir.resolve("score-histogram.png"));
        pictures.add(new Picture("score-histogram.png", "Score distribution",
                "Share of rows per score bin" + (labels == null ? "" : ", normal and anomalous rows separately")
                        + ". Scores are in nats, higher = more anomalous; the outer 0.5% on each side are piled into the end bins."
                        + (threshold == null ? " The model has no threshold."
                        : String.format(Locale.ROOT, " Rows right of the dashed line (%.4g, %s) are flagged.",
                        threshold.value(), threshold.method()))));
    }

    /** ROC and precision-recall curves; needs both classes. */
    public void curves(double[] scores, int[] labels, double auroc, double auprc) throws IOException {
        Curves c = Curves.of(scores, labels);
        long anomalies = java.util.Arrays.stream(labels).filter(l -> l != 0).count();
        Charts.roc(c, auroc, dir.resolve("roc.png"));
        pictures.add(new Picture("roc.png", "ROC curve",
                "True positive rate against false positive rate as the threshold sweeps all scores; the diagonal is "
                        + "a random ranking. AUROC is the chance that a random anomaly outscores a random normal row."));
        Charts.precisionRecall(c, auprc, (double) anomalies / labels.length, dir.resolve("precision-recall.png"));
        pictures.add(new Picture("precision-recall.png", "Precision-recall curve",
                "Precision against recall as the threshold sweeps all scores; the flat line is the share of anomalies "
                        + "(a random ranking). AUPRC is the average precision."));
    }

    /**
     * Mean per-feature contributions (nats) of two groups of rows, largest first for the first group.
     *
     * @param focusName e.g. "anomalous rows"; {@code otherName} e.g. "normal rows" (null = one group only)
     */
    public void featureBars(List<String> names, double[] focusMeans, String focusName,
                            double @Nullable [] otherMeans, @Nullable String otherName) throws IOException {
        Charts.featureBars(names, focusMeans, focusName, otherMeans, otherName,
                "Mean per-feature contribution to the reconstruction term", dir.resolve("feature-contributions.png"));
        pictures.add(new Picture("feature-contributions.png", "Which features make rows anomalous",
                "Each feature's mean share of the reconstruction term (-log p(x|z), nats) for the " + focusName
                        + (otherMeans == null ? "" : ", beside the " + otherName)
                        + ". A row's shares sum to its reconstruction term; the 20 largest are shown. Shares can be "
                        + "negative: a Gaussian density above 1 has a negative log."));
    }

    /** An image grid already written by the caller into the folder. */
    public void picture(String file, String pictureTitle, String caption) {
        pictures.add(new Picture(file, pictureTitle, caption));
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Writes {@code index.html} showing the summary and every picture; returns its path. */
    public Path writeIndex() throws IOException {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("pre{background:#f4f4f4;padding:1em;overflow-x:auto}\n")
                .append("figure{margin:2em 0}img{max-width:100%;border:1px solid #ddd}\n")
                .append("figcaption{color:#555;max-width:800px}\n</style>\n</head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
        if (!summary.isEmpty()) {
            h.append("<pre>");
            for (String line : summary) {
                h.append(escape(line)).append('\n');
            }
            h.append("</pre>\n");
        }
        for (Picture p : pictures) {
            h.append("<figure>\n<h2>").append(escape(p.title())).append("</h2>\n<img src=\"").append(escape(p.file()))
                    .append("\" alt=\"").append(escape(p.title())).append("\">\n<figcaption>")
                    .append(escape(p.caption())).append("</figcaption>\n</figure>\n");
        }
        h.append("</body>\n</html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, h.toString(), StandardCharsets.UTF_8);
        return index;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
