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
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.onnx.LogScaleLink;
import dev.vae.onnx.OnnxMetadata;
import dev.vae.onnx.VaeOnnxOperators;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a native {@link VaeModel} as three ONNX graphs (an ensemble's differ, below), each with a dynamic batch axis, float32 throughout, opset
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
 *
 * <p><b>Ensembles</b> ({@link VaeModel#memberCount()} M &gt; 1). {@value #SCORER} computes the model's score, as
 * {@code Scorer} does: every member's scorer subgraph on the one scaled input, its initializers and nodes named with
 * the prefix {@code member1_}, {@code member2_}, ... (member1 is {@link VaeModel#member(int) member(0)}), then
 * {@code score} = (score_1 + ... + score_M) / M, added in member order, and {@code feature_scores} the same mean of
 * the members' per-feature scores; {@code is_anomaly} compares that mean with the ensemble's threshold, and the
 * metadata adds {@code vae.members} = M. An encoder or decoder has no single meaning for an ensemble, each member
 * having its own latent space, so {@link #export} and {@link #write} give one pair per member instead of
 * {@value #ENCODER} and {@value #DECODER}: {@code encoder-member1.onnx}, {@code decoder-member1.onnx}, ...
 * ({@link #memberFile}), the graphs of {@code model.member(m)}, a model of one network without the threshold (which
 * was fitted on the ensemble's score); {@code vae import-onnx} reads such a pair as that member.
 * {@link #encoder} and {@link #decoder} refuse an ensemble, naming {@code model.member(m)}.
 *
 * <p>Stateless and thread-safe.
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
     * Writes the graphs of {@link #export} into {@code dir} (created when missing), each atomically: {@value #ENCODER},
     * {@value #DECODER} and {@value #SCORER}, or for an ensemble each member's encoder and decoder and then
     * {@value #SCORER}.
     *
     * @return the files, in that order
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
     * The serialized ONNX models of {@code model}, by file name: {@value #ENCODER}, {@value #DECODER},
     * {@value #SCORER}, in that order; for an ensemble, member by member its {@link #memberFile} encoder and decoder
     * (those of {@code model.member(m)}), then {@value #SCORER}, the ensemble's.
     */
    public static Map<String, byte[]> export(VaeModel model) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (model.memberCount() == 1) {
            out.put(ENCODER, encoder(model));
            out.put(DECODER, decoder(model));
        } else {
            for (int m = 0; m < model.memberCount(); m++) {
                VaeModel member = model.member(m);
                out.put(memberFile(ENCODER, m), encoder(member));
                out.put(memberFile(DECODER, m), decoder(member));
            }
        }
        out.put(SCORER, scorer(model));
        return out;
    }

    /**
     * The file name of member {@code m}'s (0-based, as {@link VaeModel#member(int)}) {@code graph} in an ensemble's
     * export, numbered from 1 as members are for people: {@code memberFile(ENCODER, 0)} is
     * {@code encoder-member1.onnx}.
     *
     * @throws IllegalArgumentException when {@code graph} is not {@value #ENCODER} or {@value #DECODER}, or m &lt; 0
     */
    public static String memberFile(String graph, int m) {
        if (!graph.equals(ENCODER) && !graph.equals(DECODER)) {
            throw new IllegalArgumentException("Per-member files are " + ENCODER + " and " + DECODER + ", not '" + graph
                    + "' (an ensemble has one " + SCORER + ")");
        }
        if (m < 0) {
            throw new IllegalArgumentException("Invalid member index: " + m + " (expected 0 or more)");
        }
        return graph.substring(0, graph.length() - ".onnx".length()) + "-member" + (m + 1) + ".onnx";
    }

    /**
     * The serialized {@value #ENCODER} of {@code model}.
     *
     * @throws IllegalArgumentException when the model is an ensemble (export one member, {@code model.member(m)})
     */
    public static byte[] encoder(VaeModel model) {
        requireOneNetwork(model, ENCODER);
        GraphWriter g = new GraphWriter(model, "encoder");
        Encoded e = g.encode(g.scaledInput());
        g.output(e.mu, "mu", OnnxMl.TensorProto.DataType.FLOAT, model.latentDim());
        if (e.logvar != null) {
            g.output(e.logvar, "logvar", OnnxMl.TensorProto.DataType.FLOAT, model.latentDim());
        }
        return g.build();
    }

    /**
     * The serialized {@value #DECODER} of {@code model}.
     *
     * @throws IllegalArgumentException when the model is an ensemble (export one member, {@code model.member(m)})
     */
    public static byte[] decoder(VaeModel model) {
        requireOneNetwork(model, DECODER);
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
                    g.constant("log_variance", (float) Math.log(f.variance())), shape);
            g.output(lv, prefix + "logvar", OnnxMl.TensorProto.DataType.FLOAT, d);
        } else {
            throw unsupported(lik);
        }
    }

    /**
     * The serialized {@value #SCORER} of {@code model}; of an ensemble, the mean of its members' scores (class
     * documentation).
     */
    public static byte[] scorer(VaeModel model) {
        GraphWriter g = new GraphWriter(model, "scorer");
        ONNXRef<?> xs = g.scaledInput();
        ONNXRef<?> score;
        ONNXRef<?> features;
        if (model.memberCount() == 1) {
            Scored s = scored(g, xs);
            score = s.score;
            features = s.features;
        } else {
            List<Scored> members = new ArrayList<>();
            for (int m = 0; m < model.memberCount(); m++) {
                g.enterMember(m);
                members.add(scored(g, xs));
            }
            g.leaveMembers();
            // The Scorer's mean: the members' scores added in member order, then divided by M.
            score = members.get(0).score;
            features = members.get(0).features;
            for (int m = 1; m < members.size(); m++) {
                score = g.op(VaeOnnxOperators.ADD, "score_sum", score, members.get(m).score);
                features = g.op(VaeOnnxOperators.ADD, "feature_sum", features, members.get(m).features);
            }
            ONNXRef<?> count = g.constant("members", (float) members.size());
            score = g.op(VaeOnnxOperators.DIV, "score_mean", score, count);
            features = g.op(VaeOnnxOperators.DIV, "feature_mean", features, count);
        }
        Threshold th = model.threshold();
        if (th != null) {
            // is_anomaly compares this graph's score, the deterministic negative ELBO, with the threshold.
            th.requireScore(ScoreSettings.defaults());
        }
        float limit = th == null ? Float.POSITIVE_INFINITY : (float) th.value();
        ONNXRef<?> flag = g.op(VaeOnnxOperators.GREATER, "over", score, g.constant("threshold", limit));
        g.output(score, "score", OnnxMl.TensorProto.DataType.FLOAT, -1);
        g.output(features, "feature_scores", OnnxMl.TensorProto.DataType.FLOAT, model.inputDim());
        g.output(flag, "is_anomaly", OnnxMl.TensorProto.DataType.BOOL, -1);
        return g.build();
    }

    /**
     * One network's score of the scaled input {@code xs}, the current member's in an ensemble: the per-feature
     * reconstruction terms at z = mu and their sum, plus the KL term for a VAE.
     */
    private static Scored scored(GraphWriter g, ONNXRef<?> xs) {
        Encoded e = g.encode(xs);
        ONNXRef<?> features = g.featureScores(xs, e.mu);
        ONNXRef<?> axes = g.array("axis_1", new long[] {1});
        ONNXRef<?> score = g.operation(VaeOnnxOperators.REDUCE_SUM, List.of(features, axes), "reconstruction",
                Map.of("keepdims", 0));
        if (e.logvar != null) {
            // KL(N(mu, exp(lv)) || N(0, I)) = -1/2 sum_k (1 + lv - mu^2 - exp(lv))
            ONNXRef<?> mu2 = g.op(VaeOnnxOperators.MUL, "mu_sq", e.mu, e.mu);
            ONNXRef<?> t = g.op(VaeOnnxOperators.ADD, "kl_a", g.constant("one", 1f), e.logvar);
            t = g.op(VaeOnnxOperators.SUB, "kl_b", t, mu2);
            t = g.op(VaeOnnxOperators.SUB, "kl_c", t, g.op(VaeOnnxOperators.EXP, "var", e.logvar));
            ONNXRef<?> kl = g.operation(VaeOnnxOperators.REDUCE_SUM, List.of(t, axes), "kl_sum", Map.of("keepdims", 0));
            kl = g.op(VaeOnnxOperators.MUL, "kl", kl, g.constant("minus_half", -0.5f));
            score = g.op(VaeOnnxOperators.ADD, "neg_elbo", score, kl);
        }
        return new Scored(score, features);
    }

    /** Refuses an ensemble for a graph that has one latent space, saying how to export its members'. */
    private static void requireOneNetwork(VaeModel model, String graph) {
        if (model.memberCount() > 1) {
            throw new IllegalArgumentException("Cannot export " + graph + " of an ensemble of " + model.memberCount()
                    + " networks: each member has its own latent space. Export one member's, model.member(m) for m in 0.."
                    + (model.memberCount() - 1) + ", or every member's with export/write (" + memberFile(graph, 0)
                    + ", ...)");
        }
    }

    private static IllegalArgumentException unsupported(Likelihood lik) {
        return new IllegalArgumentException("ONNX export does not support the likelihood '" + lik.id() + "'");
    }

    private record Encoded(ONNXRef<?> mu, @Nullable ONNXRef<?> logvar) {
    }

    /** One network's score [batch] and per-feature scores [batch, d] in a scorer graph. */
    private record Scored(ONNXRef<?> score, ONNXRef<?> features) {
    }

    /**
     * Builds one graph with Tribuo's context and wraps it in a model proto with metadata. The network its layers come
     * from is the model's, or in an ensemble's scorer the member last entered ({@link #enterMember}), whose
     * initializers and nodes then take the member's name prefix; every name goes through {@link #scoped}.
     */
    private static final class GraphWriter {
        final ONNXContext ctx = new ONNXContext();
        final VaeModel model;
        final Architecture arch;
        final List<NativeNetwork> members = new ArrayList<>();
        float[] params;
        NativeNetwork network;
        /** Prefix of the names of the current member's initializers and nodes; empty outside an ensemble's members. */
        String scope = "";
        final String role;
        final List<OnnxMl.NodeProto> extraNodes = new ArrayList<>();
        final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();

        GraphWriter(VaeModel model, String role) {
            for (VaeNetwork member : model.members()) {
                if (!(member instanceof NativeNetwork n)) {
                    throw new IllegalArgumentException("ONNX export needs a native model; this one runs on backend '"
                            + member.backend() + "' (its ONNX graphs are the ones it was imported from)");
                }
                members.add(n);
            }
            this.network = members.get(0);
            this.model = model;
            this.arch = model.architecture();
            this.params = network.parameters();
            this.role = role;
            ctx.setName("vae_" + role);
        }

        /** Takes the layers from member {@code m} (0-based) from now on, naming what follows {@code member<m+1>_}. */
        void enterMember(int m) {
            network = members.get(m);
            params = network.parameters();
            scope = "member" + (m + 1) + "_";
        }

        /** Ends the members' subgraphs: what follows is shared by them (unprefixed names). */
        void leaveMembers() {
            scope = "";
        }

        /** {@code name} in the current member's scope (unchanged outside an ensemble's members). */
        String scoped(String name) {
            return scope + name;
        }

        ONNXRef<?> op(VaeOnnxOperators op, String name, ONNXRef<?>... inputs) {
            return ctx.operation(op, List.of(inputs), scoped(name), Map.of());
        }

        <T extends ONNXRef<?>> ONNXRef<?> operation(ONNXOperator op, List<T> inputs, String name,
                                                    Map<String, Object> attributes) {
            return ctx.operation(op, inputs, scoped(name), attributes);
        }

        ONNXRef<?> constant(String name, float value) {
            return ctx.constant(scoped(name), value);
        }

        ONNXRef<?> array(String name, long[] values) {
            return ctx.array(scoped(name), values);
        }

        ONNXRef<?> array(String name, float[] values) {
            return ctx.array(scoped(name), values);
        }

        ONNXRef<?> floatTensor(String name, List<Integer> dims, Consumer<FloatBuffer> fill) {
            return ctx.floatTensor(scoped(name), dims, fill);
        }

        /** Input {@code x} and the scaler applied to it, as the library applies it: (x - offset) / divisor in float32. */
        ONNXRef<?> scaledInput() {
            ONNXRef<?> x = ctx.floatInput("x", arch.inputDim());
            Scaler s = model.scaler();
            ONNXRef<?> centred = op(VaeOnnxOperators.SUB, "x_centred", x, array("scaler_offset", s.offset()));
            return op(VaeOnnxOperators.DIV, "x_scaled", centred, array("scaler_divisor", s.divisor()));
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
                        ONNXRef<?> values = array(name + "_values", Arrays.copyOfRange(own, t, t + d));
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
            ONNXRef<?> axes = array("slice_axis", new long[] {1});
            List<ONNXRef<?>> parts = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                CompositeLikelihood.Block b = c.blocks().get(i);
                ONNXRef<?> cols = operation(VaeOnnxOperators.SLICE, List.of(xs,
                        array("block" + i + "_from", new long[] {b.from()}),
                        array("block" + i + "_to", new long[] {b.to() + 1L}), axes), "x_block" + i, Map.of());
                parts.add(featureNll(cols, raw.get(i), b.likelihood()));
            }
            return operation(ONNXOperators.CONCAT, parts, "feature_nll", Map.of("axis", 1));
        }

        /**
         * The learned-variance Gaussian's link, as the model's likelihood has it: s = B tanh(r / B) with its own B, or
         * s = r for the unbounded link (no node: the raw tensor is the log-variance).
         */
        ONNXRef<?> logVariance(ONNXRef<?> r, LearnedVarianceGaussian lik) {
            if (!lik.isBounded()) {
                return r;
            }
            ONNXRef<?> bound = constant("logvar_bound", (float) lik.bound());
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
                ONNXRef<?> c = operation(VaeOnnxOperators.CLIP, List.of(xs, constant("bernoulli_lo", 0f),
                        constant("bernoulli_hi", 1f)), "x_clipped", Map.of());
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
                ONNXRef<?> t = op(VaeOnnxOperators.ADD, "nll_a", constant("log_2pi", (float) log2pi), s);
                t = op(VaeOnnxOperators.ADD, "nll_b", t, op(VaeOnnxOperators.MUL, "weighted_sq", sq, precision));
                return op(VaeOnnxOperators.MUL, "gaussian_nll", t, constant("half", 0.5f));
            }
            if (lik instanceof StudentTLikelihood st) {
                // c(nu) + s / 2 + (nu + 1) / 2 log(1 + q), q = (x - m)^2 exp(-s) / nu, with the c(nu) the Java model
                // uses. Opset 13 has no Log1p: Log(1 + q) in float32 loses q below ~6e-8, an absolute error of that
                // order in a term the parity tests measure against max(|score|, 1).
                ONNXRef<?> s = logVariance(raw.get(1), LogScaleLink.of(st));
                ONNXRef<?> precision = op(VaeOnnxOperators.EXP, "student_precision", op(VaeOnnxOperators.NEG, "neg_logscale2", s));
                ONNXRef<?> q = op(VaeOnnxOperators.DIV, "student_q", op(VaeOnnxOperators.MUL, "student_weighted_sq", sq, precision),
                        constant("nu", (float) st.nu()));
                ONNXRef<?> log = op(VaeOnnxOperators.LOG, "student_log1p_q",
                        op(VaeOnnxOperators.ADD, "student_one_plus_q", constant("one", 1f), q));
                ONNXRef<?> t = op(VaeOnnxOperators.MUL, "student_tail", log, constant("half_nu_plus_one", 0.5f * (st.nu() + 1)));
                t = op(VaeOnnxOperators.ADD, "student_nll_a", t,
                        op(VaeOnnxOperators.MUL, "half_logscale2", s, constant("half", 0.5f)));
                return op(VaeOnnxOperators.ADD, "student_t_nll", t,
                        constant("student_constant", (float) st.normalizingConstant()));
            }
            if (lik instanceof FixedVarianceGaussian f) {
                // 1/2 (log 2 pi + log v) + (x - m)^2 / (2 v)
                ONNXRef<?> t = op(VaeOnnxOperators.MUL, "scaled_sq", sq, constant("half_precision", (float) (0.5 / f.variance())));
                return op(VaeOnnxOperators.ADD, "gaussian_fixed_nll", t,
                        constant("nll_constant", (float) (0.5 * (log2pi + Math.log(f.variance())))));
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
            float[] p = params;
            ONNXRef<?> weight = floatTensor(name + "_weight", List.of(in, cols), fb -> {
                for (int i = 0; i < in; i++) {
                    fb.put(p, w + i * out + c0, cols);
                }
            });
            ONNXRef<?> bias = floatTensor(name + "_bias", List.of(cols), fb -> fb.put(p, b + c0, cols));
            return operation(VaeOnnxOperators.GEMM, List.of(h, weight, bias), name, Map.of());
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
