package dev.vae.anomaly.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A maximal run of labelled anomalies in a series (label != 0), both ends inclusive: the unit that range-based
 * metrics reward or forgive.
 *
 * @param first index of the first anomalous point
 * @param last  index of the last anomalous point
 */
record AnomalyRange(int first, int last) {

    /** The anomaly ranges of {@code labels}, in order. */
    static List<AnomalyRange> of(int[] labels) {
        List<AnomalyRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < labels.length) {
            if (labels[i] == 0) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < labels.length && labels[j + 1] != 0) {
                j++;
            }
            ranges.add(new AnomalyRange(i, j));
            i = j + 1;
        }
        return ranges;
    }
}
