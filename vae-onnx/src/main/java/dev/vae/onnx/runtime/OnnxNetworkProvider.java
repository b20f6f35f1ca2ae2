package dev.vae.onnx.runtime;

import dev.vae.core.nn.Architecture;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.nn.PortableNetwork;
import java.util.Map;

/**
 * Rebuilds an {@link OnnxNetwork} from the artifacts a model file stores ({@code encoder.onnx},
 * {@code decoder.onnx}) and its settings. Registered for the backend {@value OnnxNetwork#BACKEND} through
 * {@code META-INF/services/dev.vae.core.nn.NetworkProvider}.
 */
public final class OnnxNetworkProvider implements NetworkProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public OnnxNetworkProvider() {
    }

    @Override
    public String backend() {
        return OnnxNetwork.BACKEND;
    }

    @Override
    public PortableNetwork load(Architecture architecture, Map<String, byte[]> artifacts, Map<String, String> settings)
            throws ModelFormatException {
        byte[] enc = artifacts.get(OnnxNetwork.ENCODER_ARTIFACT);
        byte[] dec = artifacts.get(OnnxNetwork.DECODER_ARTIFACT);
        if (enc == null || dec == null) {
            throw new ModelFormatException("the onnx network needs the artifacts " + OnnxNetwork.ENCODER_ARTIFACT + " and "
                    + OnnxNetwork.DECODER_ARTIFACT + ", found " + artifacts.keySet());
        }
        return new OnnxNetwork(architecture, enc, dec, settings);
    }
}
