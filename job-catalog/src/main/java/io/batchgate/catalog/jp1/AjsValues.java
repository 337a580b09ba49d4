package io.batchgate.catalog.jp1;

import java.util.ArrayList;
import java.util.List;

/**
 * Values of unit definition parameters: quoted strings ({@code "..."}, with {@code #"} for a quote and {@code ##} for a
 * hash inside) and comma-separated lists such as {@code sd=1,en} or {@code ar=(f=A,t=B,seq)}.
 */
final class AjsValues {

    private AjsValues() {}

    /** The text of {@code raw}: quoted parts lose their quotes and escapes; unquoted parts stay as written. */
    static String unquote(String raw) {
        StringBuilder text = new StringBuilder(raw.length());
        boolean quoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quoted && c == '#' && i + 1 < raw.length() && (raw.charAt(i + 1) == '"' || raw.charAt(i + 1) == '#')) {
                text.append(raw.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    /** Splits on commas outside quotes and parentheses; each part keeps its quotes. */
    static List<String> split(String raw) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quoted && c == '#' && i + 1 < raw.length()) {
                part.append(c).append(raw.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(part.toString().trim());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString().trim());
        return parts;
    }

    /** {@code (f=A,t=B,seq)} without its parentheses; the value itself if it has none. */
    static String unwrap(String raw) {
        String trimmed = raw.trim();
        if (trimmed.startsWith("(") && trimmed.endsWith(")")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }
}
