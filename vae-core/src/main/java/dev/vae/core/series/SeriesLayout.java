package dev.vae.core.series;

import dev.vae.core.VaeModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a windowed model reads a series: which columns, how long a window is, the grid step, and which window a
 * point's score comes from. A model carries it (in its properties, {@link #toProperties()}), so scoring, streaming
 * and export need nothing but the model.
 *
 * <p>A window of N points and C columns is one model row of N x C features, oldest point first, the columns of
 * each point together: feature {@code k * C + j} is column j at lag {@code N - 1 - k}. Its names read
 * {@code value[t-119]} .. {@code value[t]}.
 *
 * @param timeColumn   the column of timestamps
 * @param valueColumns the value columns, in order
 * @param window       N, points per window (at least 2)
 * @param interval     the grid step in the time column's units (seconds for date-times)
 * @param pointRule    which window scores a point
 */
public record SeriesLayout(String timeColumn, List<String> valueColumns, int window, double interval,
                           PointRule pointRule) {

    static final String PREFIX = "series.";

    /** Validates the layout. */
    public SeriesLayout {
        java.util.Objects.requireNonNull(timeColumn, "timeColumn");
        java.util.Objects.requireNonNull(pointRule, "pointRule");
        valueColumns = List.copyOf(valueColumns);
        if (valueColumns.isEmpty()) {
            throw new IllegalArgumentException("A series needs at least one value column");
        }
        if (window < 2) {
            throw new IllegalArgumentException("Invalid window " + window + ": at least 2 points");
        }
        if (!(interval > 0) || !Double.isFinite(interval)) {
            throw new IllegalArgumentException("Invalid time step " + interval + ": must be positive and finite");
        }
    }

    /** The default point rule: measured on the NAB series (docs/time-series.md), it ranks better than {@code end}. */
    public static final PointRule DEFAULT_POINT_RULE = PointRule.CENTER;

    /**
     * The layout for a series read from a file: its median time step, and the window given or, for {@code window}
     * 0 ({@code auto}), the period of its first value column ({@link Periodicity#period(double[])}: the strongest
     * autocorrelation peak, TSB-AD's rule, 125 when no period stands out).
     *
     * @param series the series as read (any gap bound; only observed points are used)
     */
    public static SeriesLayout choose(TimeSeries series, String timeColumn, int window, PointRule rule) {
        if (window < 0 || window == 1) {
            throw new IllegalArgumentException("Invalid window " + window + ": at least 2 points, or 0 for auto");
        }
        int n = window == 0 ? Periodicity.period(series.observedColumn(0)) : window;
        return new SeriesLayout(timeColumn, series.columns(), n, TimeSeries.medianStep(series.observedTimes()), rule);
    }

    /** Features per window: window x columns. */
    public int width() {
        return window * valueColumns.size();
    }

    /**
     * The filled points worth keeping at each end of a gap in time: one window plus the point rule's delay. Windows
     * that hold a real point see no further into a gap, so a file and a stream filled with this bound score alike.
     */
    public int keepPerGap() {
        return window + pointRule.delay(window);
    }

    /** The model's feature names: every column at every lag, oldest first. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(width());
        for (int k = 0; k < window; k++) {
            int lag = window - 1 - k;
            for (String c : valueColumns) {
                names.add(c + (lag == 0 ? "[t]" : "[t-" + lag + "]"));
            }
        }
        return names;
    }

    /** The layout as model properties ({@code series.*}). */
    public Map<String, String> toProperties() {
        return Map.of(PREFIX + "time-column", timeColumn,
                PREFIX + "value-columns", String.join("\n", valueColumns),
                PREFIX + "window", Integer.toString(window),
                PREFIX + "interval", Double.toString(interval),
                PREFIX + "point-rule", pointRule.id());
    }

    /** The model with this layout in its properties. */
    public VaeModel attachTo(VaeModel model) {
        if (model.inputDim() != width()) {
            throw new IllegalArgumentException("A layout of " + window + " x " + valueColumns.size() + " = " + width()
                    + " features does not fit a model of " + model.inputDim() + " inputs");
        }
        VaeModel.Builder b = model.toBuilder();
        toProperties().forEach(b::property);
        return b.build();
    }

    /**
     * The layout a model carries, or empty for a model of independent rows.
     *
     * @throws IllegalArgumentException when the properties are incomplete or do not fit the model
     */
    public static Optional<SeriesLayout> of(VaeModel model) {
        Optional<SeriesLayout> read = fromProperties(model.properties());
        if (read.isEmpty()) {
            return read;
        }
        try {
            SeriesLayout layout = read.get();
            if (layout.width() != model.inputDim() || !layout.featureNames().equals(model.featureNames())) {
                throw new IllegalArgumentException("its window of " + layout.window() + " x " + layout.valueColumns().size()
                        + " does not match the model's " + model.inputDim() + " features");
            }
            return Optional.of(layout);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The model's series layout is damaged: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The model's series layout is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * The layout in properties written by {@link #toProperties()} (other keys ignored), or empty when they hold none.
     *
     * @throws IllegalArgumentException when they hold an incomplete or malformed layout
     */
    public static Optional<SeriesLayout> fromProperties(Map<String, String> p) {
        if (!p.containsKey(PREFIX + "window")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SeriesLayout(require(p, "time-column"),
                    Arrays.asList(require(p, "value-columns").split("\n", -1)),
                    Integer.parseInt(require(p, "window")), Double.parseDouble(require(p, "interval")),
                    PointRule.parse(require(p, "point-rule"))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The series layout is damaged: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The series layout is damaged: " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> p, String key) {
        String v = p.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("property " + PREFIX + key + " is missing");
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d points of %s every %s, point score of the %s window", window,
                String.join(",", valueColumns), Double.toString(interval), pointRule.id());
    }
}
