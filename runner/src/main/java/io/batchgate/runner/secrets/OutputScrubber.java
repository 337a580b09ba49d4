package io.batchgate.runner.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Replaces the literal secret values a run was given by {@code ******} in its output, line by line
 * (log pages end on whole lines, so a value is never split across two pages). Every occurrence of
 * every value is found in the original line first and overlapping or adjacent matches are merged
 * into one mask, so two values that overlap ("abcd", "cdef" in "abcdef") leave no tail in clear.
 * Values shorter than the minimum length are left alone: masking every "a" would destroy the log.
 */
public final class OutputScrubber {

    public static final String MASK = "******";
    private static final OutputScrubber NONE = new OutputScrubber(List.of());

    private final List<String> values;

    private OutputScrubber(List<String> values) {
        this.values = values;
    }

    public static OutputScrubber none() {
        return NONE;
    }

    public static OutputScrubber of(Collection<String> values, int minLength) {
        List<String> kept = values.stream()
                .filter(value -> value.length() >= minLength && !value.equals(MASK))
                .distinct()
                .toList();
        return kept.isEmpty() ? NONE : new OutputScrubber(kept);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String line(String line) {
        if (values.isEmpty()) {
            return line;
        }
        boolean[] masked = null;
        for (String value : values) {
            for (int at = line.indexOf(value); at >= 0; at = line.indexOf(value, at + 1)) {
                if (masked == null) {
                    masked = new boolean[line.length()];
                }
                java.util.Arrays.fill(masked, at, at + value.length(), true);
            }
        }
        if (masked == null) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            if (masked[i]) {
                out.append(MASK);
                while (i < line.length() && masked[i]) {
                    i++;
                }
            } else {
                out.append(line.charAt(i++));
            }
        }
        return out.toString();
    }

    public List<String> lines(List<String> lines) {
        if (values.isEmpty()) {
            return lines;
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(line(line));
        }
        return out;
    }
}
