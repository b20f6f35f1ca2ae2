package dev.vae.cli.readme;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.anomaly.tribuo.VaeAnomalyModel;
import dev.vae.anomaly.tribuo.VaeAnomalyTrainer;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.train.TrainingConfig;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The README's Java examples. The code between the {@code tag::} and {@code end::} comments appears in README.md
 * verbatim (ReadmeTest checks it), so the README's examples always compile and run.
 */
public final class ReadmeExamples {

    private ReadmeExamples() {
    }

    /** The library example: train, fit a threshold, save, detect with meters, explain. Returns the saved model. */
    public static VaeModel library(Path csv, Path modelFile, MeterRegistry registry) throws Exception {
        // tag::library[]
        Table data = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of()));   // "label" is never a feature
        TrainedDetector trained = Detector.builder().meterRegistry(registry)
                .training(TrainingConfig.builder().epochs(50).seed(42).build())       // labels unused
                .threshold(ThresholdSpec.contamination(0.1)).fit(data);               // fitted on held-out rows
        ModelFile.write(trained.model(), modelFile);                                  // atomic, versioned

        boolean[] flagged = trained.detector().detect(data.values(), data.rows());   // score > threshold, metered
        ScoreBreakdown why = trained.detector().scorer().explain(data.values(), data.rows());  // per-feature nats
        System.out.printf("row 0: score %.2f nats, anomalous %b, %s contributes %.2f nats%n",
                why.scores()[0], flagged[0], data.columns().get(0), why.contribution(0, 0));
        // end::library[]
        return trained.model();
    }

    /** The Tribuo example: a Trainer/Model pair on Tribuo's anomaly Events. Returns the predictions. */
    public static List<Prediction<Event>> tribuo(Table table) {
        // tag::tribuo[]
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> expected = new MutableDataset<>(new SimpleDataSourceProvenance("normal rows", factory), factory);
        String[] names = table.columns().toArray(new String[0]);
        for (int i = 0; i < table.rows(); i++) {
            double[] v = new double[names.length];
            for (int j = 0; j < v.length; j++) {
                v[j] = table.values()[i * names.length + j];
            }
            if (table.labels()[i] == 0) {
                expected.add(new ArrayExample<>(AnomalyFactory.EXPECTED_EVENT, names, v));
            }
        }
        VaeAnomalyModel model = new VaeAnomalyTrainer(42L).train(expected);  // threshold fitted on its validation split
        List<Prediction<Event>> predictions = model.predict(expected);       // Event: EXPECTED/ANOMALOUS + score
        // end::tribuo[]
        return predictions;
    }
}
