package dev.vae.spark;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.io.ModelFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The per-JVM cache of parsed models and scorers, keyed by the SHA-256 of the model file's bytes and the score
 * settings: every task of an executor shares one parsed model and one thread-safe {@link Scorer}, however many
 * partitions it runs. Small and bounded (least recently used entries go first) so a long-lived executor that
 * scores with many models does not keep them all.
 */
final class ExecutorModels {

    private static final int MAX_ENTRIES = 8;

    private static final Map<String, Scorer> SCORERS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Scorer> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private ExecutorModels() {
    }

    /**
     * The scorer for the model whose file bytes hash to {@code sha256}, parsing {@code bytes} only on the first
     * call in this JVM for that hash and those settings.
     */
    static Scorer scorer(String sha256, Supplier<byte[]> bytes, ScoreSettings settings) throws ModelFormatException {
        String key = sha256 + '/' + settings.kind().id() + '/' + settings.samples();
        synchronized (SCORERS) {
            Scorer cached = SCORERS.get(key);
            if (cached != null) {
                return cached;
            }
            // Parsing under the lock is deliberate: the tasks of one executor would otherwise all parse the same bytes.
            VaeModel model = ModelFile.fromBytes(bytes.get(), "broadcast model " + sha256.substring(0, 12));
            Scorer scorer = new Scorer(model, settings);
            SCORERS.put(key, scorer);
            return scorer;
        }
    }

    /** How many scorers (one per score setting) this JVM holds for the model whose bytes hash to {@code sha256}. */
    static int entriesFor(String sha256) {
        synchronized (SCORERS) {
            return (int) SCORERS.keySet().stream().filter(k -> k.startsWith(sha256 + '/')).count();
        }
    }

    /** The lowercase hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
