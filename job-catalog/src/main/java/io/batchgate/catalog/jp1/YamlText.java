package io.batchgate.catalog.jp1;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a tree of {@link Map}s (in their iteration order), {@link List}s, strings, numbers and booleans as block
 * YAML. Lists of numbers are written in flow style ({@code [0, 1, 2]}); strings are written plain only when YAML would
 * read them back as the same string, else double-quoted. Deterministic, so golden files compare exactly.
 */
final class YamlText {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/.][A-Za-z0-9_ ./:=-]*");
    private static final Pattern LOOKS_TYPED =
            Pattern.compile("(?i)(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_:.eE+-]*|[-+]?\\.(inf|nan))");

    private YamlText() {}

    static String render(Map<String, ?> root) {
        StringBuilder out = new StringBuilder();
        mapping(out, root, 0);
        return out.toString();
    }

    private static void mapping(StringBuilder out, Map<String, ?> map, int indent) {
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            out.append(" ".repeat(indent)).append(scalar(entry.getKey())).append(':');
            value(out, entry.getValue(), indent);
        }
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder out, Object value, int indent) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append(" {}\n");
            } else {
                out.append('\n');
                mapping(out, (Map<String, ?>) map, indent + 2);
            }
        } else if (value instanceof List<?> list) {
            if (list.isEmpty() || list.stream().allMatch(item -> item instanceof Number)) {
                out.append(" [");
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(list.get(i));
                }
                out.append("]\n");
            } else {
                out.append('\n');
                for (Object item : list) {
                    out.append(" ".repeat(indent + 2)).append('-');
                    if (item instanceof Map<?, ?> map && !map.isEmpty()) {
                        // the first key goes on the dash's line, the others under it
                        StringBuilder nested = new StringBuilder();
                        mapping(nested, (Map<String, ?>) map, indent + 4);
                        out.append(' ').append(nested.substring(indent + 4));
                    } else {
                        value(out, item, indent + 2);
                    }
                }
            }
        } else {
            out.append(' ').append(scalar(value)).append('\n');
        }
    }

    static String scalar(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text = value.toString();
        if (PLAIN.matcher(text).matches()
                && !LOOKS_TYPED.matcher(text).matches()
                && !text.endsWith(" ")
                && !text.endsWith(":")
                && !text.contains(": ")
                && !text.contains(" #")) {
            return text;
        }
        return quoted(text);
    }

    /** A YAML double-quoted string; also valid JSON. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
