package dev.vae.core.nn;

import java.io.IOException;
import java.util.Map;

/**
 * Service interface ({@link java.util.ServiceLoader}) that rebuilds a {@link PortableNetwork} of one backend from
 * the artifacts a model file stores. Modules such as {@code vae-onnx} register one.
 */
public interface NetworkProvider {

    /** The backend this provider rebuilds, e.g. {@code onnx}. */
    String backend();

    /** Rebuilds the network from its stored architecture, artifacts and settings. */
    PortableNetwork load(Architecture architecture, Map<String, byte[]> artifacts, Map<String, String> settings)
            throws IOException;
}
