/**
 * ONNX for VAE models, the parts export and import share: the metadata an exported graph carries
 * ({@link dev.vae.onnx.OnnxMetadata}), the checks every ONNX file passes before anything else reads it
 * ({@link dev.vae.onnx.OnnxModelBytes}), the operators the exported graphs use ({@link dev.vae.onnx.VaeOnnxOperators},
 * at ONNX opset {@value dev.vae.onnx.VaeOnnxOperators#OPSET}) and the log-scale link between a likelihood's raw
 * parameter and a decoder graph's output ({@link dev.vae.onnx.LogScaleLink}).
 *
 * <p>The sub-packages hold one direction each and depend only on this package and on what lies below them:
 * {@link dev.vae.onnx.export} writes the three graphs of a native model ({@code encoder.onnx}, {@code decoder.onnx},
 * and {@code scorer.onnx}, which computes the deterministic negative ELBO, the per-feature scores and the anomaly
 * flag); {@link dev.vae.onnx.runtime} runs an encoder/decoder pair in ONNX Runtime as a network backend;
 * {@link dev.vae.onnx.imports} reads a pair written by this library or by other tools (PyTorch's
 * {@code torch.onnx.export}) into a model run by that backend, or converts plain MLP graphs into a native network.
 * Graph building and graph running are kept apart: the exporter only writes protobuf, the runtime only runs sessions.
 * The only protobuf type in a public signature is the parsed model {@link dev.vae.onnx.OnnxModelBytes#parse} hands
 * to the other packages of this module.
 */
@NullMarked
package dev.vae.onnx;

import org.jspecify.annotations.NullMarked;
