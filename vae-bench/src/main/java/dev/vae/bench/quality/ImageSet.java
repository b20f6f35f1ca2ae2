package dev.vae.bench.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The image sets of the suite's one-class protocol ({@link Suite}, {@code --images}): both are 28 x 28 grey images
 * of ten classes in the shared folder, {@code data/<prefix>/<prefix>_{train,test}.csv.gz}, a label column then
 * {@code p0..p783}. Each is run and reported the same way, beside its own {@code <option>_oneclass_baselines.csv}.
 */
public enum ImageSet {

    /** Fashion-MNIST: the defaults were chosen looking at it; its baselines are in the shared folder. */
    FASHION("fashion", "fashion_mnist", "Fashion-MNIST", "class", false),

    /**
     * MNIST digits: a held-out image kind on which no default was chosen; its baselines are in the held-out folder
     * ({@code vae-bench/heldout/mnist_oneclass_baselines.csv}, made by {@code make_mnist_baselines.py}).
     */
    MNIST("mnist", "mnist", "MNIST", "digit", true);

    private final String option;
    private final String prefix;
    private final String title;
    private final String labelColumn;
    private final boolean heldOut;

    ImageSet(String option, String prefix, String title, String labelColumn, boolean heldOut) {
        this.option = option;
        this.prefix = prefix;
        this.title = title;
        this.labelColumn = labelColumn;
        this.heldOut = heldOut;
    }

    /** Its name in {@code --images}: {@code fashion} or {@code mnist}. */
    public String option() {
        return option;
    }

    /** Its folder under the shared {@code data/}, the prefix of its files and of its runs' names. */
    public String prefix() {
        return prefix;
    }

    /** Its name in the report. */
    public String title() {
        return title;
    }

    /** The name of its files' label column (the class, 0..9). */
    public String labelColumn() {
        return labelColumn;
    }

    /** Whether it is a held-out kind (no default chosen on it), whose baselines are in the held-out folder. */
    public boolean heldOut() {
        return heldOut;
    }

    /** The file name of its baselines ({@code k,seed,method,auroc,auprc,fit_seconds}). */
    public String baselinesFile() {
        return option + "_oneclass_baselines.csv";
    }

    /** The name of its one-class run of class {@code k}, as in {@link RunResult#set()}: {@code prefix/k}. */
    public String run(int k) {
        return prefix + "/" + k;
    }

    /** The class of a run named by {@link #run}, or -1 when {@code set} is not one of this image set's runs. */
    public int classOf(String set) {
        if (!set.startsWith(prefix + "/")) {
            return -1;
        }
        try {
            return Integer.parseInt(set.substring(prefix.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The image set whose run {@code set} is ({@link #run}), or null for a tabular set. */
    public static @Nullable ImageSet ofRun(String set) {
        for (ImageSet s : values()) {
            if (s.classOf(set) >= 0) {
                return s;
            }
        }
        return null;
    }

    /**
     * Parses {@code --images}: a comma list of {@code fashion} and {@code mnist}; {@code true} (the option given
     * without a value) is {@code fashion}, as the option meant before MNIST was added.
     *
     * @throws IllegalArgumentException naming the option and a value that is neither, or one named twice
     */
    public static List<ImageSet> parse(String text) {
        if (text.trim().equals("true")) {
            return List.of(FASHION);
        }
        List<ImageSet> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            ImageSet s = Arrays.stream(values()).filter(v -> v.option.equals(part.trim())).findFirst().orElse(null);
            if (s == null) {
                throw new IllegalArgumentException("Unknown image set '" + part.trim() + "' in --images " + text
                        + " (expected fashion, mnist or fashion,mnist; --images alone is fashion)");
            }
            if (out.contains(s)) {
                throw new IllegalArgumentException("Image set '" + s.option + "' named twice in --images " + text);
            }
            out.add(s);
        }
        return List.copyOf(out);
    }
}
