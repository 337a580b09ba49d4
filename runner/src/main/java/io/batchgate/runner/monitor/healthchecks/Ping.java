package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.RunId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One heartbeat waiting in the outbox.
 *
 * @param attempt the attempt it is about; null for a run that ended before it had one
 * @param exitCode for a failure: the code to report as {@code /<code>}; null reports {@code /fail}
 * @param pingUrl the check's ping URL, resolved when the transition was stored
 * @param message the first lines of the body (why); a failure's log tail follows it
 */
record Ping(
        long id,
        RunId runId,
        @Nullable Integer attempt,
        Kind kind,
        @Nullable Integer exitCode,
        URI pingUrl,
        String message,
        Instant createdAt,
        int tries) {

    enum Kind {
        /** An attempt's task started: {@code /start}. */
        START,
        /** A failed attempt will be retried, or a run was skipped: {@code /log}, which alerts no one. */
        LOG,
        /** The run SUCCEEDED (a warning included): the bare ping URL. */
        SUCCESS,
        /** The run ended otherwise: {@code /<exit code>} or {@code /fail}. */
        FAILURE
    }

    /** The Healthchecks run id of an attempt: the same on every runner and after restarts. */
    static UUID rid(RunId runId, int attempt) {
        return UUID.nameUUIDFromBytes(("batchgate/" + runId.value() + "/" + attempt).getBytes(StandardCharsets.UTF_8));
    }

    Optional<UUID> rid() {
        return attempt == null ? Optional.empty() : Optional.of(rid(runId, attempt));
    }

    /** The start of a missed fire's message: its ping is about a schedule, not a run. */
    static final String MISSED_FIRE = "batchgate schedule ";

    /** The run this ping is about, in the log context; none for a missed fire (its id is the fire's). */
    RunLogContext logContext() {
        if (message.startsWith(MISSED_FIRE)) {
            return RunLogContext.none();
        }
        RunLogContext context = RunLogContext.of(runId);
        return attempt == null ? context : context.attempt(attempt);
    }

    /** Whether the body carries the attempt's log tail. */
    boolean withLogTail() {
        return attempt != null && (kind == Kind.FAILURE || kind == Kind.LOG);
    }

    /** The URL this ping is sent to. */
    URI target() {
        String suffix =
                switch (kind) {
                    case START -> "/start";
                    case LOG -> "/log";
                    case SUCCESS -> "";
                    case FAILURE -> exitCode == null ? "/fail" : "/" + exitCode;
                };
        return URI.create(pingUrl + suffix + rid().map(rid -> "?rid=" + rid).orElse(""));
    }

    /**
     * The status Healthchecks is told for a failed run's exit code: 1–255 as is; codes outside
     * 0–255 (ECS reports any int) taken modulo 256 like a shell does; empty when that gives 0, which
     * Healthchecks would read as a success.
     */
    static Optional<Integer> failureStatus(int exitCode) {
        int status = Math.floorMod(exitCode, 256);
        return status == 0 ? Optional.empty() : Optional.of(status);
    }
}
