package io.batchgate.catalog;

import java.util.regex.Pattern;

/**
 * Glob patterns of retry rules: {@code *} is any run of characters, {@code ?} one character, everything else is
 * literal (regular expression metacharacters included). The whole text must match, case-sensitively.
 */
final class Glob {

    private Glob() {}

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                flush(literal, regex);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        flush(literal, regex);
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    static boolean matches(String glob, String text) {
        return compile(glob).matcher(text).matches();
    }

    private static void flush(StringBuilder literal, StringBuilder regex) {
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }
}
