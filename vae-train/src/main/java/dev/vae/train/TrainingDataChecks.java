package dev.vae.train;

import dev.vae.core.data.Table;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Warnings about a training table that the chosen likelihood models poorly, in words a user can act on. Every entry
 * point prints or logs them before training ({@code vae train}, the Tribuo trainer); none stops training, because the
 * data may be meant that way.
 *
 * <ul>
 *   <li>Grey levels under a Bernoulli likelihood ({@link BernoulliLikelihood#greyShare}): it models binary values
 *       (one-class Fashion-MNIST: 0.735 mean AUROC against 0.915 with a Gaussian).</li>
 *   <li>Near-constant columns under a Gaussian likelihood ({@link Table#nearConstantColumns}, one value in
 *       {@value Architecture#NEAR_CONSTANT_SHARE} or more of the rows): a Gaussian term grows with the square of a
 *       residual, so a row's rare value in such a column can outweigh the rest of the row, in training and in its score. On the
 *       held-out digits set of docs/anomaly-defaults.md (64 columns of 0-16 counts, nine near-constant), the default
 *       reaches 0.585 mean AUROC with a Gaussian, Isolation Forest 0.679, and {@code student-t:nu=16}, whose term
 *       grows with the logarithm, 0.685. Such a table gets that Student-t by default
 *       ({@link Architecture#defaultLikelihood(Table)}) unless it has fewer rows than columns, so the warning is for
 *       a Gaussian the user chose or the small-sample default.</li>
 * </ul>
 */
public final class TrainingDataChecks {

    /** Columns named in a warning before the rest are counted. */
    private static final int NAMED_COLUMNS = 5;

    private TrainingDataChecks() {
    }

    /**
     * "N columns hold one value in 99% or more of the rows (a, b, ...)" for {@code table}'s near-constant columns
     * ({@link Table#nearConstantColumns} at {@link Architecture#NEAR_CONSTANT_SHARE}), naming five and counting the
     * rest; null when it has none.
     */
    public static @Nullable String nearConstantSummary(Table table) {
        int[] near = table.nearConstantColumns(Architecture.NEAR_CONSTANT_SHARE);
        if (near.length == 0) {
            return null;
        }
        String names = Arrays.stream(near).limit(NAMED_COLUMNS).mapToObj(j -> table.columns().get(j))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%d column%s hold%s one value in %.0f%% or more of the rows (%s%s)",
                near.length, near.length == 1 ? "" : "s", near.length == 1 ? "s" : "",
                100 * Architecture.NEAR_CONSTANT_SHARE, names,
                near.length > NAMED_COLUMNS ? " and " + (near.length - NAMED_COLUMNS) + " more" : "");
    }

    /**
     * The warnings for training {@code architecture} on {@code table} (empty when there is nothing to say), each one
     * sentence without a leading "warning:".
     */
    public static List<String> warnings(Architecture architecture, Table table) {
        List<String> out = new ArrayList<>();
        Likelihood likelihood = architecture.likelihood();
        if (likelihood instanceof BernoulliLikelihood) {
            double grey = BernoulliLikelihood.greyShare(table.values());
            if (grey > BernoulliLikelihood.GREY_SHARE_WARNING) {
                out.add(String.format(Locale.ROOT, "%.0f%% of the values lie strictly between their minimum and maximum;"
                        + " a Bernoulli likelihood models binary values and fits grey levels poorly (one-class"
                        + " Fashion-MNIST: 0.735 mean AUROC against 0.915 with the default gaussian); consider"
                        + " --likelihood gaussian", 100 * grey));
            }
        }
        if (likelihood instanceof LearnedVarianceGaussian || likelihood instanceof FixedVarianceGaussian) {
            String near = nearConstantSummary(table);
            if (near != null) {
                out.add(near + "; under a Gaussian likelihood a rare value there can outweigh the rest of its row, in"
                        + " training and in its score; if such values are not what you want flagged, consider"
                        + " --likelihood student-t:nu=16, the default for such tables with at least as many rows as"
                        + " columns (docs/anomaly-defaults.md, session 10: held-out digits 0.585 to 0.685 mean AUROC)");
            }
        }
        return out;
    }
}
