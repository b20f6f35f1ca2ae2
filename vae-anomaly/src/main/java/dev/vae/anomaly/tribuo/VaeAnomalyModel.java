package dev.vae.anomaly.tribuo;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

/**
 * A Tribuo {@code Model<Event>} around a trained {@link VaeModel} with a threshold. {@link #predict} returns an
 * {@code ANOMALOUS} event when the row's score (nats, higher = more anomalous) is strictly above the threshold and
 * an {@code EXPECTED} one otherwise; the event carries the score. The score is the {@link Scorer}'s, so an ensemble's
 * (the trainer's {@code ensemble} setting) is the mean of its members' scores. Immutable and thread-safe.
 *
 * <p>Examples may be sparse, as Tribuo's are: the model reads an example through its feature map's ids as a
 * Tribuo {@code SparseVector}, so a feature the example lacks is the raw value 0 (before the model's own scaler:
 * on a column whose values sit far from 0, a missing feature therefore looks unusual and raises the score), and a
 * feature name the model never saw in training is ignored. An example with no feature the model knows is refused.
 *
 * <p>Persist the wrapped model with {@code ModelFile} ({@link #vaeModel()}); Java and protobuf serialisation of
 * this Tribuo wrapper are not supported and fail with an exception that says so.
 */
public final class VaeAnomalyModel extends Model<Event> {

    private static final long serialVersionUID = 1L;
    private static final int BATCH = 1024;

    private final transient VaeModel model;
    private final transient Scorer scorer;
    private final transient Threshold threshold;

    VaeAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap features,
                    ImmutableOutputInfo<Event> outputs, VaeModel model) {
        super(name, provenance, features, outputs, false);
        this.model = Objects.requireNonNull(model, "model");
        this.threshold = Objects.requireNonNull(model.threshold(), "the model needs a threshold");
        if (features.size() != model.inputDim()) {
            throw new IllegalArgumentException("Feature map has " + features.size() + " features, the model "
                    + model.inputDim());
        }
        this.scorer = new Scorer(model);
        threshold.requireScore(scorer.settings());
    }

    /** The wrapped model (scaler, network, threshold, score settings). */
    public VaeModel vaeModel() {
        return model;
    }

    /** The threshold on the score. */
    public Threshold threshold() {
        return threshold;
    }

    /** Predicts one example: {@code ANOMALOUS} when its score (nats, higher = more anomalous) is above the threshold. */
    @Override
    public Prediction<Event> predict(Example<Event> example) {
        float[] row = new float[model.inputDim()];
        int used = fillRow(example, row, 0);
        return prediction(example, used, scorer.score(row));
    }

    /** Scores examples in batches (same scores as one by one: sampled scores depend only on the row). */
    @Override
    protected List<Prediction<Event>> innerPredict(Iterable<Example<Event>> examples) {
        List<Prediction<Event>> out = new ArrayList<>();
        List<Example<Event>> batch = new ArrayList<>(BATCH);
        for (Example<Event> e : examples) {
            batch.add(e);
            if (batch.size() == BATCH) {
                predictBatch(batch, out);
                batch.clear();
            }
        }
        predictBatch(batch, out);
        return out;
    }

    private void predictBatch(List<Example<Event>> batch, List<Prediction<Event>> out) {
        int d = model.inputDim();
        float[] rows = new float[batch.size() * d];
        int[] used = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            used[i] = fillRow(batch.get(i), rows, i * d);
        }
        double[] scores = scorer.score(rows, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(prediction(batch.get(i), used[i], scores[i]));
        }
    }

    /** Writes the example's raw row (see the class comment); returns how many of its features the model knows. */
    private int fillRow(Example<Event> example, float[] rows, int off) {
        int used = VaeAnomalyTrainer.fillRow(example, featureIDMap, rows, off);
        if (used == 0) {
            throw new IllegalArgumentException("Example has no feature this model knows (it knows "
                    + model.inputDim() + ", e.g. '" + model.featureNames().get(0) + "'): " + example);
        }
        return used;
    }

    private Prediction<Event> prediction(Example<Event> example, int used, double score) {
        Event.EventType type = threshold.isAnomalous(score) ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED;
        return new Prediction<>(new Event(type, score), used, example);
    }

    /** A VAE has no global feature ranking; this returns an empty map (see {@link #getExcuse} for per-row reasons). */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    /**
     * Explains a prediction by each feature's share of the reconstruction term (nats), largest first, under the
     * key {@link Model#ALL_OUTPUTS}: the features that made the row look odd.
     */
    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        float[] row = new float[model.inputDim()];
        int used = fillRow(example, row, 0);
        ScoreBreakdown b = scorer.explain(row, 1);
        List<Pair<String, Double>> parts = new ArrayList<>();
        for (int j = 0; j < model.inputDim(); j++) {
            parts.add(new Pair<>(featureIDMap.get(j).getName(), b.contribution(0, j)));
        }
        parts.sort(Comparator.comparingDouble((Pair<String, Double> p) -> p.getB()).reversed());
        return Optional.of(new Excuse<>(example, prediction(example, used, b.scores()[0]), Map.of(ALL_OUTPUTS, parts)));
    }

    @Override
    protected VaeAnomalyModel copy(String newName, ModelProvenance newProvenance) {
        return new VaeAnomalyModel(newName, newProvenance, featureIDMap, outputIDInfo, model);
    }

    @Override
    public org.tribuo.protos.core.ModelProto serialize() {
        throw new UnsupportedOperationException("VaeAnomalyModel does not support protobuf serialisation: save vaeModel() with ModelFile");
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException("VaeAnomalyModel: save vaeModel() with ModelFile instead of Java serialisation");
    }
}
