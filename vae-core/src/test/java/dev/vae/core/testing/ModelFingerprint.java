package dev.vae.core.testing;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of a model's file bytes, with the provenance entries that vary between two runs of the same training
 * (the clock, the machine's kernels and versions) pinned to a fixed text: two models with the same fingerprint have
 * the same weights, scaler, threshold, settings, properties and the rest of their provenance, bit for bit. Tests use
 * it to hold a training path to the bits it gave before a change.
 */
public final class ModelFingerprint {

    /** The provenance keys that vary between runs of the same training on the same data. */
    public static final List<String> VOLATILE_PROVENANCE = List.of("created", "result.seconds", "java.version",
            "library.version", "trainer.kernels", "trainer.matrix-kernels", "trainer.element-kernels");

    private ModelFingerprint() {
    }

    /**
     * The hex SHA-256 of {@code model}'s file bytes with {@link #VOLATILE_PROVENANCE} and {@code alsoVolatile} (the
     * caller's own varying entries, e.g. a data set's creation time) pinned, when present, to {@code "pinned"}.
     */
    public static String of(VaeModel model, String... alsoVolatile) {
        VaeModel.Builder b = model.toBuilder();
        for (List<String> keys : List.of(VOLATILE_PROVENANCE, List.of(alsoVolatile))) {
            for (String key : keys) {
                if (model.provenance().containsKey(key)) {
                    b.provenance(key, "pinned");
                }
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ModelFile.toBytes(b.build())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
