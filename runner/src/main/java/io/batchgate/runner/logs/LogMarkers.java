package io.batchgate.runner.logs;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * batchgate's own lines in a served log. Each starts with {@value #PREFIX} (two U+2500 box-drawing
 * characters), which job output is unlikely to start with, so clients can tell them apart.
 */
final class LogMarkers {

    public static final String PREFIX = "\u2500\u2500 ";
    private static final String SUFFIX = " \u2500\u2500";

    private LogMarkers() {}

    /** {@code ── attempt 2 (local) ──}, and any warning about the completeness of its log. */
    static List<String> header(Attempt attempt) {
        List<String> lines = new ArrayList<>();
        lines.add(marker("attempt " + attempt.number() + " (" + attempt.runtime() + ")"));
        if (attempt.log().warning() != null) {
            lines.add(marker(
                    "attempt " + attempt.number() + " warning: " + attempt.log().warning()));
        }
        return lines;
    }

    /** {@code ── attempt 2 ended: exit 3 ──}, and any lines lost on the way. */
    static List<String> footer(Attempt attempt) {
        List<String> lines = new ArrayList<>();
        if (attempt.log().droppedLines() > 0) {
            lines.add(marker(attempt.log().droppedLines() + " lines of attempt " + attempt.number()
                    + " were dropped before they reached CloudWatch Logs"));
        }
        String end = attempt.outcome() == AttemptOutcome.EXITED && attempt.exitCode() != null
                ? "exit " + attempt.exitCode()
                : attempt.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                        + attempt.reason();
        if (attempt.stopCause() != null) {
            end += " (stopped: " + attempt.stopCause().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        lines.add(marker("attempt " + attempt.number() + " ended: " + end));
        return lines;
    }

    /** {@code ── run FAILED: exit code 3 is a failure ──} */
    static String runEnd(Run run) {
        return marker("run " + run.status().name() + (run.reason().isEmpty() ? "" : ": " + run.reason()));
    }

    static String skipped(long lines) {
        return marker(lines + " earlier lines are not shown here; read the log without follow=true for all of it");
    }

    private static String marker(String text) {
        return PREFIX + text.replace('\n', ' ') + SUFFIX;
    }
}
