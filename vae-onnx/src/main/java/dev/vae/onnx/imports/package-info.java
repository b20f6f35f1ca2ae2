/**
 * ONNX import: {@link dev.vae.onnx.imports.OnnxImporter} turns an encoder/decoder pair, exported by this library or
 * written by another tool, into a model, as {@link dev.vae.onnx.imports.OnnxImportOptions} ask. The graphs are run by
 * the ONNX Runtime backend ({@link dev.vae.onnx.runtime.OnnxNetwork}) or, when they are plain MLPs, converted into a
 * native network: the package-private {@code GraphIndex} looks tensors up in a graph, {@code MlpConverter} traces
 * linear layers, activations, the input scaler and the log-variance link back through it.
 *
 * <p>(Named {@code imports} because {@code import} is a Java keyword.)
 */
@NullMarked
package dev.vae.onnx.imports;

import org.jspecify.annotations.NullMarked;
