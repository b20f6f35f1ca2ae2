/**
 * ONNX for VAE models: export of a model as three self-contained graphs ({@code encoder.onnx},
 * {@code decoder.onnx} and a whole {@code scorer.onnx} that computes the deterministic negative ELBO, the
 * per-feature scores and the anomaly flag), import of encoder/decoder pairs written by this library or by other
 * tools (PyTorch's {@code torch.onnx.export}) as a network that ONNX Runtime runs, and conversion of plain MLP
 * graphs into a native network.
 *
 * <p>Graphs are built with tribuo-util-onnx's builder ({@link org.tribuo.util.onnx.ONNXContext}), extended with the
 * operators it lacks ({@link dev.vae.onnx.VaeOnnxOperators}), at ONNX opset {@value dev.vae.onnx.VaeOnnxOperators#OPSET}.
 * Graph building and graph running are kept apart: {@link dev.vae.onnx.OnnxExporter} only writes protobuf,
 * {@link dev.vae.onnx.OnnxNetwork} only runs sessions. No protobuf type appears in a public signature.
 */
@NullMarked
package dev.vae.onnx;

import org.jspecify.annotations.NullMarked;
