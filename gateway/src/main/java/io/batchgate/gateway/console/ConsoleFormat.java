package io.batchgate.gateway.console;

import io.batchgate.runner.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * How the console writes statuses, times and ids. A status reads without colour: a word and a
 * symbol, the colour only repeats it. Times are UTC, like the API's.
 */
final class ConsoleFormat {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The symbol shown before a status word. */
    public String symbol(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> "✓";
            case FAILED -> "✗";
            case TIMED_OUT -> "◔";
            case CANCELLED -> "⊘";
            case SKIPPED -> "⤼";
            case QUEUED -> "…";
            case LAUNCHING, RUNNING -> "▶";
            case STOPPING -> "■";
            case RETRY_WAIT -> "↻";
        };
    }

    /**
     * The symbol of a net run's or a member's word: its judgment or state ({@code SUCCEEDED},
     * {@code WARNING}, {@code WAITING}, ...), or while it runs its status.
     */
    public String netSymbol(String word) {
        return switch (word) {
            case "SUCCEEDED" -> "✓";
            case "WARNING" -> "⚠";
            case "FAILED" -> "✗";
            case "CANCELLED" -> "⊘";
            case "SKIPPED" -> "⤼";
            case "WAITING" -> "…";
            case "CANCELLING" -> "■";
            default -> "▶";
        };
    }

    /** The CSS class of a net run's or a member's word. */
    public String netCss(String word) {
        return "status status-" + word.toLowerCase(java.util.Locale.ROOT);
    }

    /** The CSS class of a status: its colour and, for a warning success, a second mark. */
    public String css(RunStatus status, boolean warning) {
        String base = "status status-" + status.name().toLowerCase().replace('_', '-');
        return warning && status == RunStatus.SUCCEEDED ? base + " status-warning" : base;
    }

    /** The status as words: "SUCCEEDED (warning)" for a success with a warning code. */
    public String words(RunStatus status, boolean warning) {
        return warning && status == RunStatus.SUCCEEDED ? "SUCCEEDED (warning)" : status.name();
    }

    public String time(@Nullable Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    /** The wall-clock time of the instant in a schedule's own zone: {@code 01:30 Asia/Tokyo, Fri 12-04}. */
    public String inZone(@Nullable Instant instant, String zone) {
        if (instant == null) {
            return "";
        }
        return DateTimeFormatter.ofPattern("HH:mm, EEE MM-dd", java.util.Locale.ROOT)
                        .format(instant.atZone(java.time.ZoneId.of(zone)))
                + " " + zone;
    }

    /** An ISO instant for {@code <time datetime>}. */
    public String iso(@Nullable Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    public String duration(@Nullable Instant start, @Nullable Instant end) {
        if (start == null) {
            return "—";
        }
        if (end == null) {
            return "…";
        }
        Duration d = Duration.between(start, end);
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return d.toMillis() < 10_000 ? String.format("%.1f s", d.toMillis() / 1000.0) : s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** The first block of a run id: enough to tell runs apart on one page. */
    public String shortId(String id) {
        return id.length() > 13 ? id.substring(0, 13) + "…" : id;
    }
}
