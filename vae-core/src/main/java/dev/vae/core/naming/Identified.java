package dev.vae.core.naming;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A constant with an identifier on the command line and in files: by default its enum name in lower case with
 * hyphens for underscores ({@code NEGATIVE_ELBO} is {@code negative-elbo}). {@link #parse} reads one back, the one
 * place where an unknown identifier is refused.
 */
public interface Identified {

    /** The identifier on the command line and in files. */
    default String id() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} whose identifier is {@code text}, trimmed, in any case.
     *
     * @param what what a constant is, in words, for the message (e.g. {@code point rule})
     * @throws IllegalArgumentException naming the text and every identifier: "Unknown point rule 'x': expected end
     *                                  or center"
     */
    static <E extends Enum<E> & Identified> E parse(Class<E> type, String text, String what) {
        String t = text.trim();
        E[] constants = type.getEnumConstants();
        for (E e : constants) {
            if (e.id().equalsIgnoreCase(t)) {
                return e;
            }
        }
        List<String> ids = Arrays.stream(constants).map(Identified::id).toList();
        String expected = ids.size() == 1 ? ids.get(0)
                : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
        throw new IllegalArgumentException("Unknown " + what + " '" + text + "': expected " + expected);
    }
}
