package dev.vae.core.series;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Reads a time column's cells as seconds on one axis.
 *
 * <p>Accepted: a plain number (taken as it is, in whatever unit the column uses: epoch seconds, a sample index);
 * an ISO-8601 date-time with an offset or {@code Z}; a local date-time {@code yyyy-MM-dd HH:mm[:ss[.fraction]]}
 * (with a space or {@code T}), read as UTC; a date {@code yyyy-MM-dd} (midnight UTC). A local time is read as UTC on
 * purpose: a wall clock that jumps at a daylight-saving change then shows as a gap or as time going backwards, which
 * the series reader reports, instead of being shifted silently.
 */
public final class Timestamps {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /**
     * The cell as seconds.
     *
     * @throws IllegalArgumentException when it is none of the accepted forms (the message quotes it)
     */
    public static double parse(String cell) {
        String t = cell.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the timestamp is empty");
        }
        char c0 = t.charAt(0);
        boolean numeric = Character.isDigit(c0) || c0 == '-' || c0 == '+' || c0 == '.';
        if (numeric && t.indexOf(':') < 0 && (t.length() < 5 || t.charAt(4) != '-' || t.indexOf('-', 5) < 0)) {
            try {
                double v = Double.parseDouble(t);
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
            throw new IllegalArgumentException("'" + t + "' is not a finite number or a date-time");
        }
        try {
            if (t.endsWith("Z") || t.lastIndexOf('+') > 9 || hasNegativeOffset(t)) {
                return seconds(OffsetDateTime.parse(t.replace(' ', 'T')).toInstant());
            }
            if (t.length() == 10) {
                return seconds(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return seconds(LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + t + "' is not a date-time (expected e.g. 2014-07-01 00:30:00, "
                    + "2014-07-01T00:30:00Z or a number)");
        }
    }

    private static boolean hasNegativeOffset(String t) {
        // yyyy-MM-ddTHH:mm:ss-05:00: a '-' after the time part.
        int time = Math.max(t.indexOf('T'), t.indexOf(' '));
        return time > 0 && t.indexOf('-', time) > 0;
    }

    private static double seconds(Instant i) {
        return i.getEpochSecond() + i.getNano() * 1e-9;
    }
}
