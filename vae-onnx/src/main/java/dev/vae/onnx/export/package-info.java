/**
 * ONNX export: {@link dev.vae.onnx.export.OnnxExporter} writes a native model as three self-contained graphs
 * ({@code encoder.onnx}, {@code decoder.onnx} and {@code scorer.onnx}), built with tribuo-util-onnx's graph builder
 * ({@link org.tribuo.util.onnx.ONNXContext}) and the operators it lacks ({@link dev.vae.onnx.VaeOnnxOperators}), each
 * carrying the model's {@link dev.vae.onnx.OnnxMetadata}; an ensemble as one encoder/decoder pair per member and a
 * scorer of the members' mean score. It writes protobuf only and never runs a graph.
 */
@NullMarked
package dev.vae.onnx.export;

import org.jspecify.annotations.NullMarked;
