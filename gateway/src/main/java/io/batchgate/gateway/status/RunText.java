package io.batchgate.gateway.status;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import org.springframework.http.MediaType;

/**
 * A run as {@code NAME=value} lines, one per field, for shell clients without a JSON parser
 * ({@code jobctl} reads it with sed). Asked for with {@code Accept: text/plain}. Values never span
 * lines: control characters become spaces.
 */
public final class RunText {

    public static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8);

    private RunText() {}

    public static String of(Run run) {
        Attempt last = run.currentAttempt();
        StringBuilder text = new StringBuilder();
        line(text, "runId", run.id().value());
        line(text, "job", run.job());
        line(text, "status", run.status().name());
        line(text, "final", String.valueOf(run.status().isFinal()));
        line(text, "exitCode", run.exitCode() == null ? "" : run.exitCode().toString());
        line(text, "warning", String.valueOf(run.warning()));
        line(text, "reason", run.reason());
        line(text, "attempts", String.valueOf(run.attempts().size()));
        line(text, "attemptOutcome", last == null ? "" : last.outcome().name());
        line(
                text,
                "attemptExitCode",
                last == null || last.exitCode() == null ? "" : last.exitCode().toString());
        line(text, "attemptReason", last == null ? "" : last.reason());
        line(
                text,
                "nextAttemptAt",
                run.nextAttemptAt() == null ? "" : run.nextAttemptAt().toString());
        return text.toString();
    }

    /** Whether the client asked for text rather than JSON. */
    public static boolean wanted(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (MediaType type : MediaType.parseMediaTypes(accept)) {
            if (type.isWildcardType()) {
                return false;
            }
            if (MediaType.TEXT_PLAIN.includes(type)) {
                return true;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(name)
                .append('=')
                .append(value.replaceAll("\\p{Cntrl}", " "))
                .append('\n');
    }
}
