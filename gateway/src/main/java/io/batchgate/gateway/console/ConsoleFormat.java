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
