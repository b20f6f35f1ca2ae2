/**
 * The ONNX Runtime backend: {@link dev.vae.onnx.runtime.OnnxNetwork} runs an encoder/decoder pair of ONNX graphs as
 * a {@link dev.vae.core.nn.PortableNetwork}, and {@link dev.vae.onnx.runtime.OnnxNetworkProvider} rebuilds it from a
 * model file (registered for the backend {@code onnx} in {@code META-INF/services/dev.vae.core.nn.NetworkProvider}).
 * It runs sessions only; it neither builds graphs nor reads models of other tools.
 */
@NullMarked
package dev.vae.onnx.runtime;

import org.jspecify.annotations.NullMarked;
