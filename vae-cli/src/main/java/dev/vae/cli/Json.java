package dev.vae.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A tiny JSON writer for the command line's reports (objects, arrays, strings, numbers; NaN becomes null). */
final class Json {

    private Json() {
    }

    /** An insertion-ordered object. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof Double d) {
            b.append(Double.isFinite(d) ? number(d) : "null");
        } else if (v instanceof Float f) {
            b.append(Float.isFinite(f) ? number(f.doubleValue()) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                quote(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), indent + 1);
                first = false;
            }
            b.append(first ? "}" : "\n" + "  ".repeat(indent) + "}");
        } else if (v instanceof List<?> l) {
            b.append('[');
            boolean first = true;
            for (Object o : l) {
                b.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                write(b, o, indent + 1);
                first = false;
            }
            b.append(first ? "]" : "\n" + "  ".repeat(indent) + "]");
        } else {
            quote(b, v.toString());
        }
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.10g", d).replaceAll("0+(e|$)", "$1").replaceAll("\\.(e|$)", "$1");
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
