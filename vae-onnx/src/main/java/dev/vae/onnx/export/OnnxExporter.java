package dev.vae.onnx.export;

import ai.onnx.proto.OnnxMl;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.io.AtomicFiles;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.CompositeLikelihood;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.StudentTLikelihood;
import dev.vae.core.nn.DenseStack;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.RawLayout;
import dev.vae.core.scale.Scaler;
import dev.vae.onnx.LogScaleLink;
import dev.vae.onnx.OnnxMetadata;
import dev.vae.onnx.VaeOnnxOperators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a native {@link VaeModel} as three ONNX graphs, each with a dynamic batch axis, float32 throughout, opset
 * {@value VaeOnnxOperators#OPSET}, and the model's {@link OnnxMetadata} in {@code metadata_props}:
 * <ul>
 *   <li>{@value #ENCODER}: input {@code x} [batch, d] of <b>raw</b> features (the scaler {@code (x - offset) /
 *       divisor} is the graph's first step); outputs {@code mu} and {@code logvar} [batch, K]. An autoencoder's
 *       encoder has the single output {@code mu}, which is its code z (an AE has no variance to report).</li>
 *   <li>{@value #DECODER}: input {@code z} [batch, K]; outputs the likelihood's parameters in <b>model</b> (scaled)
 *       units, not un-scaled: {@code logits} and {@code probs} for {@code bernoulli}; {@code mean} and
 *       {@code logvar} for {@code gaussian} (logvar = B tanh(r / B), the model's link, with its B as the constant
 *       {@code logvar_bound}; logvar = r for {@code gaussian:logvar-unbounded}) and for
 *       {@code gaussian-fixed} (logvar is then the constant log of the fixed variance); {@code location} and
 *       {@code logscale2} for {@code student-t} and {@code student-t-shared} (logscale2 = 3 tanh(r / 3), the log of
 *       the squared scale, {@link StudentTLikelihood#logScale2}; nu is in the metadata). A likelihood's own parameters
 *       ({@code gaussian-shared}'s r, {@code student-t-shared}'s) are a constant of the graph expanded to the rows
 *       ({@code Expand}), under the same link, so those outputs are [batch, d] too. Multiply by the scaler's
 *       divisor and add its offset (both in the metadata) to get raw units. A {@code composite} likelihood has
 *       these outputs per column block, prefixed by the block's index in column order ({@code block0_logits},
 *       {@code block0_probs}, {@code block1_mean}, ...), each [batch, block width]; the blocks and their columns
 *       are in the likelihood's identifier in the metadata.</li>
 *   <li>{@value #SCORER}: input {@code x} [batch, d] raw; outputs {@code score} [batch], the deterministic negative
 *       ELBO at z = mu (the reconstruction NLL for an AE) in nats, {@code feature_scores} [batch, d], whose rows
 *       sum to the reconstruction term, and {@code is_anomaly} [batch] (bool), {@code score > threshold}. A model
 *       without a threshold compares with +infinity, so {@code is_anomaly} is always false; the metadata then says
 *       {@code vae.threshold.value = none}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class OnnxExporter {

    /** File name of the encoder graph. */
    public static final String ENCODER = "encoder.onnx";
    /** File name of the decoder graph. */
    public static final String DECODER = "decoder.onnx";
    /** File name of the scorer graph. */
    public static final String SCORER = "scorer.onnx";

    /** ONNX IR version 7 is the one that goes with opset 13. */
    static final long IR_VERSION = 7;

    private OnnxExporter() {
    }

    /**
     * Writes {@value #ENCODER}, {@value #DECODER} and {@value #SCORER} into {@code dir} (created when missing),
     * each atomically.
     *
     * @return the three files, in that order
     * @throws IllegalArgumentException when the model has no native network
     */
    public static List<Path> write(VaeModel model, Path dir) throws IOException {
        Map<String, byte[]> graphs = export(model);
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : graphs.entrySet()) {
            Path p = dir.resolve(e.getKey());
            byte[] bytes = e.getValue();
            AtomicFiles.write(p, out -> out.write(bytes));
            written.add(p);
        }
        return written;
    }

    /**
     * The serialized ONNX models of {@code model}, by file name ({@value #ENCODER}, {@value #DECODER},
     * {@value #SCORER}, in that order).
     */
    public static Map<String, byte[]> export(VaeModel model) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(ENCODER, encoder(model));
        out.put(DECODER, decoder(model));
        out.put(SCORER, scorer(model));
        return out;
    }

    /** The serialized {@value #ENCODER} of {@code model}. */
    public static byte[] encoder(VaeModel model) {
        GraphWriter g = new GraphWriter(model, "encoder");
        Encoded e = g.encode(g.scaledInput());
        g.output(e.mu, "mu", OnnxMl.TensorProto.DataType.FLOAT, model.latentDim());
        if (e.logvar != null) {
            g.output(e.logvar, "logvar", OnnxMl.TensorProto.DataType.FLOAT, model.latentDim());
        }
        return g.build();
    }

    /** The serialized {@value #DECODER} of {@code model}. */
    public static byte[] decoder(VaeModel model) {
        GraphWriter g = new GraphWriter(model, "decoder");
        ONNXRef<?> z = g.ctx.floatInput("z", model.latentDim());
        if (model.architecture().likelihood() instanceof CompositeLikelihood c) {
            List<List<ONNXRef<?>>> blocks = g.decodeBlocks(z, c);
            for (int i = 0; i < blocks.size(); i++) {
                CompositeLikelihood.Block b = c.blocks().get(i);
                decoderOutputs(g, blocks.get(i), b.likelihood(), "block" + i + "_", b.width());
            }
        } else {
            decoderOutputs(g, g.decode(z), model.architecture().likelihood(), "", model.inputDim());
        }
        return g.build();
    }

    /** Declares the outputs of a likelihood over {@code d} columns, named {@code prefix + parameter}. */
    private static void decoderOutputs(GraphWriter g, List<ONNXRef<?>> raw, Likelihood lik, String prefix, int d) {
        if (lik instanceof BernoulliLikelihood) {
            g.output(raw.get(0), prefix + "logits", OnnxMl.TensorProto.DataType.FLOAT, d);
            g.output(g.op(VaeOnnxOperators.SIGMOID, "probs", raw.get(0)), prefix + "probs", OnnxMl.TensorProto.DataType.FLOAT, d);
        } else if (lik instanceof LearnedVarianceGaussian lvg) {
            g.output(raw.get(0), prefix + "mean", OnnxMl.TensorProto.DataType.FLOAT, d);
            g.output(g.logVariance(raw.get(1), lvg), prefix + "logvar", OnnxMl.TensorProto.DataType.FLOAT, d);
        } else if (lik instanceof StudentTLikelihood st) {
            g.output(raw.get(0), prefix + "location", OnnxMl.TensorProto.DataType.FLOAT, d);
            g.output(g.logVariance(raw.get(1), LogScaleLink.of(st)), prefix + "logscale2", OnnxMl.TensorProto.DataType.FLOAT, d);
        } else if (lik instanceof FixedVarianceGaussian f) {
            g.output(raw.get(0), prefix + "mean", OnnxMl.TensorProto.DataType.FLOAT, d);
            ONNXRef<?> shape = g.op(VaeOnnxOperators.SHAPE, "mean_shape", raw.get(0));
            ONNXRef<?> lv = g.op(VaeOnnxOperators.EXPAND, "fixed_logvar",
                    g.ctx.constant("log_variance", (float) Math.log(f.variance())), shape);
            g.output(lv, prefix + "logvar", OnnxMl.TensorProto.DataType.FLOAT, d);
        } else {
            throw unsupported(lik);
        }
    }

    /** The serialized {@value #SCORER} of {@code model}. */
    public static byte[] scorer(VaeModel model) {
        GraphWriter g = new GraphWriter(model, "scorer");
        ONNXRef<?> xs = g.scaledInput();
        Encoded e = g.encode(xs);
        ONNXRef<?> features = g.featureScores(xs, e.mu);
        ONNXRef<?> axes = g.ctx.array("axis_1", new long[] {1});
        ONNXRef<?> score = g.ctx.operation(VaeOnnxOperators.REDUCE_SUM, List.of(features, axes), "reconstruction",
                Map.of("keepdims", 0));
        if (e.logvar != null) {
            // KL(N(mu, exp(lv)) || N(0, I)) = -1/2 sum_k (1 + lv - mu^2 - exp(lv))
            ONNXRef<?> mu2 = g.op(VaeOnnxOperators.MUL, "mu_sq", e.mu, e.mu);
            ONNXRef<?> t = g.op(VaeOnnxOperators.ADD, "kl_a", g.ctx.constant("one", 1f), e.logvar);
            t = g.op(VaeOnnxOperators.SUB, "kl_b", t, mu2);
            t = g.op(VaeOnnxOperators.SUB, "kl_c", t, g.op(VaeOnnxOperators.EXP, "var", e.logvar));
            ONNXRef<?> kl = g.ctx.operation(VaeOnnxOperators.REDUCE_SUM, List.of(t, axes), "kl_sum", Map.of("keepdims", 0));
            kl = g.op(VaeOnnxOperators.MUL, "kl", kl, g.ctx.constant("minus_half", -0.5f));
            score = g.op(VaeOnnxOperators.ADD, "neg_elbo", score, kl);
        }
        Threshold th = model.threshold();
        if (th != null) {
            // is_anomaly compares this graph's score, the deterministic negative ELBO, with the threshold.
            th.requireScore(ScoreSettings.defaults());
        }
        float limit = th == null ? Float.POSITIVE_INFINITY : (float) th.value();
        ONNXRef<?> flag = g.op(VaeOnnxOperators.GREATER, "over", score, g.ctx.constant("threshold", limit));
        g.output(score, "score", OnnxMl.TensorProto.DataType.FLOAT, -1);
        g.output(features, "feature_scores", OnnxMl.TensorProto.DataType.FLOAT, model.inputDim());
        g.output(flag, "is_anomaly", OnnxMl.TensorProto.DataType.BOOL, -1);
        return g.build();
    }

    private static IllegalArgumentException unsupported(Likelihood lik) {
        return new IllegalArgumentException("ONNX export does not support the likelihood '" + lik.id() + "'");
    }

    private record Encoded(ONNXRef<?> mu, @Nullable ONNXRef<?> logvar) {
    }

    /** Builds one graph with Tribuo's context and wraps it in a model proto with metadata. */
    private static final class GraphWriter {
        final ONNXContext ctx = new ONNXContext();
        final VaeModel model;
        final Architecture arch;
        final float[] params;
        final NativeNetwork network;
        final String role;
        final List<OnnxMl.NodeProto> extraNodes = new ArrayList<>();
        final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();

        GraphWriter(VaeModel model, String role) {
            NativeNetwork n = model.nativeNetwork();
            if (n == null) {
                throw new IllegalArgumentException("ONNX export needs a native model; this one runs on backend '"
                        + model.network().backend() + "' (its ONNX graphs are the ones it was imported from)");
            }
            this.network = n;
            this.model = model;
            this.arch = model.architecture();
            this.params = n.parameters();
            this.role = role;
            ctx.setName("vae_" + role);
        }

        ONNXRef<?> op(VaeOnnxOperators op, String name, ONNXRef<?>... inputs) {
            return ctx.operation(op, List.of(inputs), name, Map.of());
        }

        /** Input {@code x} and the scaler applied to it, as the library applies it: (x - offset) / divisor in float32. */
        ONNXRef<?> scaledInput() {
            ONNXRef<?> x = ctx.floatInput("x", arch.inputDim());
            Scaler s = model.scaler();
            ONNXRef<?> centred = op(VaeOnnxOperators.SUB, "x_centred", x, ctx.array("scaler_offset", s.offset()));
            return op(VaeOnnxOperators.DIV, "x_scaled", centred, ctx.array("scaler_divisor", s.divisor()));
        }

        Encoded encode(ONNXRef<?> xs) {
            DenseStack enc = network.objective().encoder();
            ONNXRef<?> h = trunk(xs, enc, "enc");
            int last = enc.layers() - 1;
            int k = arch.latentDim();
            ONNXRef<?> mu = dense(h, enc, last, 0, k, "enc_mu");
            ONNXRef<?> logvar = arch.modelType() == ModelType.VAE ? dense(h, enc, last, k, 2 * k, "enc_logvar") : null;
            return new Encoded(mu, logvar);
        }

        /** The decoder's raw parameters, one tensor per likelihood parameter (split by parameter, not by feature). */
        List<ONNXRef<?>> decode(ONNXRef<?> z) {
            return rawParameters(trunk(z, network.objective().decoder(), "dec"), arch.likelihood(), 0, arch.inputDim(),
                    "dec_");
        }

        /**
         * A composite's raw parameters, block by block in column order: its decoder layout is block-major, each block
         * in its own likelihood's layout ({@link CompositeLikelihood}).
         */
        List<List<ONNXRef<?>>> decodeBlocks(ONNXRef<?> z, CompositeLikelihood c) {
            ONNXRef<?> h = trunk(z, network.objective().decoder(), "dec");
            List<List<ONNXRef<?>>> blocks = new ArrayList<>();
            int offset = 0;
            for (int i = 0; i < c.blocks().size(); i++) {
                CompositeLikelihood.Block b = c.blocks().get(i);
                blocks.add(rawParameters(h, b.likelihood(), offset, b.width(), "dec_block" + i + "_"));
                offset += b.likelihood().rawWidth(b.width());
            }
            return blocks;
        }

        /**
         * The raw parameters of {@code lik} over {@code d} columns, from raw value {@code offset}: a parameter the
         * decoder computes is its columns of the last layer; one the likelihood owns (the same in every row, e.g. the
         * log-variances of {@code gaussian-shared}) is its values expanded to the shape of the first computed one, so
         * the graph's outputs are [batch, d] either way.
         */
        private List<ONNXRef<?>> rawParameters(ONNXRef<?> h, Likelihood lik, int offset, int d, String prefix) {
            DenseStack dec = network.objective().decoder();
            RawLayout layout = network.objective().rawLayout();
            float[] own = network.likelihoodParameters();
            int last = dec.layers() - 1;
            int count = lik.parameterNames().size();
            List<ONNXRef<?>> raw = new ArrayList<>(Collections.nCopies(count, null));
            ONNXRef<?> shape = null;
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < count; p++) {
                    String name = prefix + lik.parameterNames().get(p);
                    int from = offset + p * d;
                    int c = layout.decoderColumnOf(from);
                    if (pass == 0 && c >= 0) {
                        if (layout.decoderColumnOf(from + d - 1) != c + d - 1) {
                            throw new IllegalArgumentException("ONNX export needs each parameter of " + lik.id()
                                    + " computed by the decoder or owned by the likelihood as a whole; " + name
                                    + " is neither");
                        }
                        raw.set(p, dense(h, dec, last, c, c + d, name));
                        shape = shape != null ? shape : op(VaeOnnxOperators.SHAPE, prefix + "row_shape", raw.get(p));
                    } else if (pass == 1 && c < 0) {
                        int t = layout.ownIndexOf(from);
                        if (shape == null || layout.ownIndexOf(from + d - 1) != t + d - 1) {
                            throw new IllegalArgumentException("ONNX export cannot give " + name + " of " + lik.id()
                                    + " a row shape");
                        }
                        ONNXRef<?> values = ctx.array(name + "_values", Arrays.copyOfRange(own, t, t + d));
                        raw.set(p, op(VaeOnnxOperators.EXPAND, name + "_rows", values, shape));
                    }
                }
            }
            return raw;
        }

        /**
         * -log p(x_j | z) per feature, [batch, d]; for a composite, each block's on its columns of {@code xs}, side by
         * side in column order.
         */
        ONNXRef<?> featureScores(ONNXRef<?> xs, ONNXRef<?> z) {
            if (!(arch.likelihood() instanceof CompositeLikelihood c)) {
                return featureNll(xs, decode(z), arch.likelihood());
            }
            List<List<ONNXRef<?>>> raw = decodeBlocks(z, c);
            ONNXRef<?> axes = ctx.array("slice_axis", new long[] {1});
            List<ONNXRef<?>> parts = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                CompositeLikelihood.Block b = c.blocks().get(i);
                ONNXRef<?> cols = ctx.operation(VaeOnnxOperators.SLICE, List.of(xs,
                        ctx.array("block" + i + "_from", new long[] {b.from()}),
                        ctx.array("block" + i + "_to", new long[] {b.to() + 1L}), axes), "x_block" + i, Map.of());
                parts.add(featureNll(cols, raw.get(i), b.likelihood()));
            }
            return ctx.operation(ONNXOperators.CONCAT, parts, "feature_nll", Map.of("axis", 1));
        }

        /**
         * The learned-variance Gaussian's link, as the model's likelihood has it: s = B tanh(r / B) with its own B, or
         * s = r for the unbounded link (no node: the raw tensor is the log-variance).
         */
        ONNXRef<?> logVariance(ONNXRef<?> r, LearnedVarianceGaussian lik) {
            if (!lik.isBounded()) {
                return r;
            }
            ONNXRef<?> bound = ctx.constant("logvar_bound", (float) lik.bound());
            ONNXRef<?> t = op(VaeOnnxOperators.TANH, "logvar_tanh", op(VaeOnnxOperators.DIV, "logvar_div", r, bound));
            return op(VaeOnnxOperators.MUL, "logvar_link", t, bound);
        }

        /** -log p(x_j | raw) per feature under the simple likelihood {@code lik}, [batch, columns of xs]. */
        ONNXRef<?> featureNll(ONNXRef<?> xs, List<ONNXRef<?>> raw, Likelihood lik) {
            double log2pi = Math.log(2.0 * Math.PI);
            if (lik instanceof BernoulliLikelihood) {
                // softplus(a) - c a + |x - c| softplus(|a|), c = clip(x, 0, 1): BernoulliLikelihood's rule for values
                // outside the training range (the last term is 0 inside it); from the logits, never log(sigmoid(a))
                ONNXRef<?> a = raw.get(0);
                ONNXRef<?> c = ctx.operation(VaeOnnxOperators.CLIP, List.of(xs, ctx.constant("bernoulli_lo", 0f),
                        ctx.constant("bernoulli_hi", 1f)), "x_clipped", Map.of());
                ONNXRef<?> excess = op(VaeOnnxOperators.ABS, "x_excess", op(VaeOnnxOperators.SUB, "x_minus_clipped", xs, c));
                ONNXRef<?> outside = op(VaeOnnxOperators.MUL, "out_of_range", excess,
                        op(VaeOnnxOperators.SOFTPLUS, "softplus_abs", op(VaeOnnxOperators.ABS, "abs_logits", a)));
                ONNXRef<?> inside = op(VaeOnnxOperators.SUB, "bernoulli_clipped_nll",
                        op(VaeOnnxOperators.SOFTPLUS, "softplus", a), op(VaeOnnxOperators.MUL, "x_logits", c, a));
                return op(VaeOnnxOperators.ADD, "bernoulli_nll", inside, outside);
            }
            ONNXRef<?> diff = op(VaeOnnxOperators.SUB, "residual", xs, raw.get(0));
            ONNXRef<?> sq = op(VaeOnnxOperators.MUL, "residual_sq", diff, diff);
            if (lik instanceof LearnedVarianceGaussian g) {
                // 1/2 (log 2 pi + s + (x - m)^2 exp(-s)); in float32 here, so an unbounded s below about -88 would
                // overflow exp(-s) where the Java model, in double, does not.
                ONNXRef<?> s = logVariance(raw.get(1), g);
                ONNXRef<?> precision = op(VaeOnnxOperators.EXP, "precision", op(VaeOnnxOperators.NEG, "neg_logvar", s));
                ONNXRef<?> t = op(VaeOnnxOperators.ADD, "nll_a", ctx.constant("log_2pi", (float) log2pi), s);
                t = op(VaeOnnxOperators.ADD, "nll_b", t, op(VaeOnnxOperators.MUL, "weighted_sq", sq, precision));
                return op(VaeOnnxOperators.MUL, "gaussian_nll", t, ctx.constant("half", 0.5f));
            }
            if (lik instanceof StudentTLikelihood st) {
                // c(nu) + s / 2 + (nu + 1) / 2 log(1 + q), q = (x - m)^2 exp(-s) / nu, with the c(nu) the Java model
                // uses. Opset 13 has no Log1p: Log(1 + q) in float32 loses q below ~6e-8, an absolute error of that
                // order in a term the parity tests measure against max(|score|, 1).
                ONNXRef<?> s = logVariance(raw.get(1), LogScaleLink.of(st));
                ONNXRef<?> precision = op(VaeOnnxOperators.EXP, "student_precision", op(VaeOnnxOperators.NEG, "neg_logscale2", s));
                ONNXRef<?> q = op(VaeOnnxOperators.DIV, "student_q", op(VaeOnnxOperators.MUL, "student_weighted_sq", sq, precision),
                        ctx.constant("nu", (float) st.nu()));
                ONNXRef<?> log = op(VaeOnnxOperators.LOG, "student_log1p_q",
                        op(VaeOnnxOperators.ADD, "student_one_plus_q", ctx.constant("one", 1f), q));
                ONNXRef<?> t = op(VaeOnnxOperators.MUL, "student_tail", log, ctx.constant("half_nu_plus_one", 0.5f * (st.nu() + 1)));
                t = op(VaeOnnxOperators.ADD, "student_nll_a", t,
                        op(VaeOnnxOperators.MUL, "half_logscale2", s, ctx.constant("half", 0.5f)));
                return op(VaeOnnxOperators.ADD, "student_t_nll", t,
                        ctx.constant("student_constant", (float) st.normalizingConstant()));
            }
            if (lik instanceof FixedVarianceGaussian f) {
                // 1/2 (log 2 pi + log v) + (x - m)^2 / (2 v)
                ONNXRef<?> t = op(VaeOnnxOperators.MUL, "scaled_sq", sq, ctx.constant("half_precision", (float) (0.5 / f.variance())));
                return op(VaeOnnxOperators.ADD, "gaussian_fixed_nll", t,
                        ctx.constant("nll_constant", (float) (0.5 * (log2pi + Math.log(f.variance())))));
            }
            throw unsupported(lik);
        }

        private ONNXRef<?> trunk(ONNXRef<?> in, DenseStack s, String prefix) {
            ONNXRef<?> h = in;
            for (int l = 0; l < s.layers() - 1; l++) {
                h = dense(h, s, l, 0, s.width(l + 1), prefix + "_" + l);
                h = switch (s.activation()) {
                    case RELU -> op(VaeOnnxOperators.RELU, prefix + "_relu_" + l, h);
                    case TANH -> op(VaeOnnxOperators.TANH, prefix + "_tanh_" + l, h);
                    case SIGMOID -> op(VaeOnnxOperators.SIGMOID, prefix + "_sigmoid_" + l, h);
                    case IDENTITY -> h;
                };
            }
            return h;
        }

        /** Columns [c0, c1) of dense layer l: Gemm(h, W[:, c0:c1], b[c0:c1]), W stored [in x out] as in the library. */
        private ONNXRef<?> dense(ONNXRef<?> h, DenseStack s, int l, int c0, int c1, String name) {
            int in = s.width(l);
            int out = s.width(l + 1);
            int cols = c1 - c0;
            int w = s.weightOffset(l);
            int b = s.biasOffset(l);
            ONNXRef<?> weight = ctx.floatTensor(name + "_weight", List.of(in, cols), fb -> {
                for (int i = 0; i < in; i++) {
                    fb.put(params, w + i * out + c0, cols);
                }
            });
            ONNXRef<?> bias = ctx.floatTensor(name + "_bias", List.of(cols), fb -> fb.put(params, b + c0, cols));
            return ctx.operation(VaeOnnxOperators.GEMM, List.of(h, weight, bias), name, Map.of());
        }

        /** Declares a graph output: an Identity from {@code ref} to {@code name}; width -1 means a [batch] vector. */
        void output(ONNXRef<?> ref, String name, OnnxMl.TensorProto.DataType type, int width) {
            extraNodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("output_" + name)
                    .addInput(ref.getReference()).addOutput(name).build());
            OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
            if (width > 0) {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width));
            }
            outputs.add(OnnxMl.ValueInfoProto.newBuilder().setName(name)
                    .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                            .setElemType(type.getNumber()).setShape(shape)))
                    .build());
        }

        byte[] build() {
            OnnxMl.GraphProto graph = ctx.buildGraph().toBuilder().addAllNode(extraNodes).addAllOutput(outputs).build();
            OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                    .setIrVersion(IR_VERSION)
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(VaeOnnxOperators.OPSET))
                    .setProducerName("dev.vae")
                    .setProducerVersion(String.valueOf(OnnxExporter.class.getPackage().getImplementationVersion()))
                    .setDomain("dev.vae")
                    .setModelVersion(OnnxMetadata.FORMAT_VERSION)
                    .setDocString("VAE " + role + " of " + arch.describe() + " exported by dev.vae")
                    .setGraph(graph);
            OnnxMetadata.of(model, role).toProperties().forEach((k, v) ->
                    m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            return m.build().toByteArray();
        }
    }
}
