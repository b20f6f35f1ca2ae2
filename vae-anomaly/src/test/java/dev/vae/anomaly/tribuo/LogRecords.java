package dev.vae.anomaly.tribuo;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Test access to what a class logs through {@code java.util.logging}, as the Tribuo integration does. */
final class LogRecords {

    private LogRecords() {
    }

    /** The records {@code source}'s logger publishes while {@code body} runs. */
    static List<LogRecord> during(Class<?> source, Runnable body) {
        Logger logger = Logger.getLogger(source.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            body.run();
        } finally {
            logger.removeHandler(handler);
        }
        return records;
    }
}
