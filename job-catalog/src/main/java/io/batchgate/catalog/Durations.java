package io.batchgate.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catalog durations: {@code <n>ms}, {@code <n>s}, {@code <n>m}, {@code <n>h} or {@code <n>d} with a positive integer
 * n, or ISO-8601 ({@code PT30S}).
 */
final class Durations {

    /** No catalog duration needs more; the cap also keeps arithmetic on durations from overflowing. */
    static final Duration MAX = Duration.ofDays(365);

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,18})(ms|s|m|h|d)");

    private Durations() {}

    /** The duration the text names, which may be zero or beyond {@link #MAX}; empty if it is not a duration. */
    static Optional<Duration> parse(String text) {
        Matcher shortForm = SHORT.matcher(text);
        if (shortForm.matches()) {
            long n = Long.parseLong(shortForm.group(1));
            try {
                return Optional.of(
                        switch (shortForm.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
            } catch (ArithmeticException e) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Optional.of(Duration.parse(text));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The shortest catalog form that is exact: {@code 30s}, {@code 10m}, {@code 1500ms}; ISO-8601 otherwise. */
    static String format(Duration duration) {
        if (duration.isNegative()
                || duration.isZero()
                || duration.compareTo(MAX) > 0
                || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        } else if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        } else if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        } else if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
