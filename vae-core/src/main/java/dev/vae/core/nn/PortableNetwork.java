package dev.vae.core.nn;

import java.util.Map;

/**
 * A network that a non-native backend runs and that a model file stores as opaque artifacts (for example the
 * ONNX encoder and decoder of an imported model). A {@link NetworkProvider} for its backend rebuilds it on load.
 */
public interface PortableNetwork extends VaeNetwork {

    /** The artifacts that reproduce this network, by name (e.g. {@code encoder.onnx}); copies. */
    Map<String, byte[]> artifacts();

    /** Backend-specific settings stored beside the artifacts (e.g. input and output names). */
    Map<String, String> settings();
}
