package dev.vae.core.likelihood;

import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A likelihood over mixed columns: contiguous column blocks, each with its own likelihood, for example binary flags
 * modelled by a Bernoulli and measurements by a Gaussian. The row's negative log-likelihood is the sum of the
 * blocks' (the blocks are conditionally independent given z), so per-feature values, gradients, means and samples
 * are the blocks' own, side by side.
 *
 * <p>Raw layout: block-major. The decoder emits block 0's raw parameters (in that likelihood's own layout, e.g.
 * all means then all log-variances for a learned-variance Gaussian), then block 1's, and so on; so
 * {@code rawWidth(d)} is the sum of the blocks' raw widths.
 *
 * <p>Syntax ({@link #id()}, read back by {@link Likelihoods#parse}):
 * {@code composite:ID[FROM-TO],ID[FROM-TO],...} with 0-based inclusive column indices ({@code ID[J]} for a single
 * column), e.g. {@code composite:bernoulli[0-9],gaussian[10-29]}. The blocks must cover columns 0..d-1 exactly,
 * without gaps or overlaps; they may be listed in any order and are kept sorted by column. Each block's ID is any
 * non-composite likelihood, options included, e.g. {@code gaussian-fixed:0.25[3-5]} or
 * {@code gaussian:logvar-bound=7[6-9]}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CompositeLikelihood implements Likelihood {

    /** The prefix of the identifier. */
    public static final String PREFIX = "composite:";

    /**
     * One column block.
     *
     * @param likelihood the block's likelihood (not itself composite)
     * @param from       first column, 0-based
     * @param to         last column, inclusive
     */
    public record Block(Likelihood likelihood, int from, int to) {

        /** Validates the range and the likelihood. */
        public Block {
            Objects.requireNonNull(likelihood, "likelihood");
            if (likelihood instanceof CompositeLikelihood) {
                throw new IllegalArgumentException("A composite likelihood block cannot itself be composite");
            }
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("Invalid column block [" + from + "-" + to + "] for " + likelihood.id());
            }
        }

        /** The number of columns in the block. */
        public int width() {
            return to - from + 1;
        }

        /** The block as written in an identifier, e.g. {@code bernoulli[0-9]}. */
        public String id() {
            return likelihood.id() + "[" + (from == to ? Integer.toString(from) : from + "-" + to) + "]";
        }
    }

    private final List<Block> blocks;
    private final int features;
    private final int[] rawOffsets;
    private final int rawWidth;

    /**
     * A composite over {@code blocks}, which must cover columns 0..d-1 exactly.
     *
     * @throws IllegalArgumentException naming the gap, overlap or bad block
     */
    public CompositeLikelihood(List<Block> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("A composite likelihood needs at least one column block");
        }
        List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingInt(Block::from));
        int next = 0;
        for (Block b : sorted) {
            if (b.from() < next) {
                throw new IllegalArgumentException("Composite likelihood blocks overlap at column " + b.from() + " (" + b.id() + ")");
            }
            if (b.from() > next) {
                throw new IllegalArgumentException("Composite likelihood leaves column " + next + " in no block (next block: "
                        + b.id() + ")");
            }
            next = b.to() + 1;
        }
        this.blocks = List.copyOf(sorted);
        this.features = next;
        this.rawOffsets = new int[sorted.size()];
        int off = 0;
        for (int i = 0; i < sorted.size(); i++) {
            rawOffsets[i] = off;
            off += sorted.get(i).likelihood().rawWidth(sorted.get(i).width());
        }
        this.rawWidth = off;
    }

    /**
     * Parses the part after {@value #PREFIX}: {@code ID[FROM-TO],ID[J],...}.
     *
     * @throws IllegalArgumentException naming the malformed block
     */
    static CompositeLikelihood parseBlocks(String text) {
        List<Block> blocks = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            int open = p.lastIndexOf('[');
            if (open <= 0 || !p.endsWith("]")) {
                throw new IllegalArgumentException("Invalid composite likelihood block '" + p
                        + "': expected ID[FROM-TO], e.g. bernoulli[0-9]");
            }
            String id = p.substring(0, open).trim();
            if (id.startsWith(PREFIX)) {
                throw new IllegalArgumentException("A composite likelihood block cannot itself be composite: '" + p + "'");
            }
            String range = p.substring(open + 1, p.length() - 1).trim();
            int dash = range.indexOf('-');
            try {
                int from = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).trim());
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).trim());
                blocks.add(new Block(Likelihoods.parse(id), from, to));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid column range '" + range + "' in composite likelihood block '"
                        + p + "': expected FROM-TO with 0-based column numbers");
            }
        }
        return new CompositeLikelihood(blocks);
    }

    /** The blocks, sorted by column. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The number of columns the blocks cover. */
    public int features() {
        return features;
    }

    private void check(int d) {
        if (d != features) {
            throw new IllegalArgumentException("Composite likelihood " + id() + " covers " + features
                    + " columns, but the data has " + d);
        }
    }

    @Override
    public String id() {
        StringBuilder b = new StringBuilder(PREFIX);
        for (int i = 0; i < blocks.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(blocks.get(i).id());
        }
        return b.toString();
    }

    /** Each block's constants, under {@code block<i>.<name>}. */
    @Override
    public Map<String, String> scoreConstants() {
        Map<String, String> all = new TreeMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            String prefix = "block" + i + ".";
            blocks.get(i).likelihood().scoreConstants().forEach((k, v) -> all.put(prefix + k, v));
        }
        return all;
    }

    @Override
    public int rawWidth(int d) {
        check(d);
        return rawWidth;
    }

    /** The block whose raw values hold {@code rawIndex} decides, with the index relative to the block. */
    @Override
    public boolean isOwnParameter(int d, int rawIndex) {
        check(d);
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (rawIndex >= rawOffsets[i]) {
                Block b = blocks.get(i);
                return b.likelihood().isOwnParameter(b.width(), rawIndex - rawOffsets[i]);
            }
        }
        return false;
    }

    /** The sum of the blocks' own parameters. */
    @Override
    public int ownParameterCount(int d) {
        check(d);
        int count = 0;
        for (Block b : blocks) {
            count += b.likelihood().ownParameterCount(b.width());
        }
        return count;
    }

    /** The union of the blocks' parameter names, in first-seen order (each block uses its own subset). */
    @Override
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (Block b : blocks) {
            for (String n : b.likelihood().parameterNames()) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
    }

    /**
     * The blocks' common scaling, or {@link ScalingKind#STANDARDIZE} when they differ; {@link #fitScaler} fits each
     * block with its own preferred scaling and is what training uses.
     */
    @Override
    public ScalingKind preferredScaling() {
        ScalingKind common = blocks.get(0).likelihood().preferredScaling();
        for (Block b : blocks) {
            if (b.likelihood().preferredScaling() != common) {
                return ScalingKind.STANDARDIZE;
            }
        }
        return common;
    }

    /**
     * Fits a scaler block by block: each block's columns get that block's preferred scaling (so a Bernoulli block is
     * min-max mapped to [0, 1] over its own columns while a Gaussian block is standardised per column). The result's
     * kind is {@link #preferredScaling()}; its per-column offsets and divisors are what apply.
     */
    public Scaler fitScaler(float[] data, int rows, int width) {
        check(width);
        float[] offset = new float[width];
        float[] divisor = new float[width];
        for (Block b : blocks) {
            int w = b.width();
            float[] part = new float[rows * w];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(data, i * width + b.from(), part, i * w, w);
            }
            Scaler s = Scaler.fit(b.likelihood().preferredScaling(), part, rows, w);
            System.arraycopy(s.offset(), 0, offset, b.from(), w);
            System.arraycopy(s.divisor(), 0, divisor, b.from(), w);
        }
        return new Scaler(preferredScaling(), offset, divisor);
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        check(d);
        double sum = 0.0;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            sum += b.likelihood().negativeLogLikelihood(x, xOff + b.from(), raw, rawOff + rawOffsets[i], b.width());
        }
        return sum;
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        check(d);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            b.likelihood().featureNegativeLogLikelihood(x, xOff + b.from(), raw, rawOff + rawOffsets[i], b.width(), out,
                    outOff + b.from());
        }
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        check(d);
        double sum = 0.0;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            sum += b.likelihood().gradient(x, xOff + b.from(), raw, rawOff + rawOffsets[i], b.width(), scale, grad,
                    gradOff + rawOffsets[i]);
        }
        return sum;
    }

    @Override
    public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        check(d);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            b.likelihood().mean(raw, rawOff + rawOffsets[i], b.width(), out, outOff + b.from());
        }
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        check(d);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            b.likelihood().sample(raw, rawOff + rawOffsets[i], b.width(), random, out, outOff + b.from());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompositeLikelihood c && c.blocks.equals(blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    @Override
    public String toString() {
        return id();
    }
}
