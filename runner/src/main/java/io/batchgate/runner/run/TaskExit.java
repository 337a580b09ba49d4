package io.batchgate.runner.run;

import java.time.Instant;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * What a runtime learned about an ended task: its exit code if it produced one, the runtime's
 * stop code (ECS's {@code stopCode}, e.g. {@code SpotInterruption}; empty locally) and why it
 * stopped. An exit without a code is never a success. {@code endedAt} is when the task really
 * ended, where the runtime knows it (a process that ended while no runner watched it); null means
 * "just now".
 *
 * @param recordLost the runtime no longer knows the task (ECS stopped describing it): it may have
 *     succeeded, failed or still run, so nothing is known about how it ended
 */
public record TaskExit(
        OptionalInt exitCode,
        String stopCode,
        String reason,
        @Nullable Instant endedAt,
        boolean recordLost) {

    public TaskExit {
        if (recordLost && exitCode.isPresent()) {
            throw new IllegalArgumentException("a lost task record has no exit code");
        }
        exitCode.ifPresent(code -> {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("exit code must be 0..255, was " + code);
            }
        });
        stopCode = stopCode == null ? "" : stopCode;
        reason = reason == null ? "" : reason;
    }

    public TaskExit(OptionalInt exitCode, String stopCode, String reason) {
        this(exitCode, stopCode, reason, null, false);
    }

    public TaskExit(OptionalInt exitCode, String stopCode, String reason, @Nullable Instant endedAt) {
        this(exitCode, stopCode, reason, endedAt, false);
    }

    public TaskExit(OptionalInt exitCode, String reason) {
        this(exitCode, "", reason);
    }

    /** The same end, known to have happened at {@code endedAt}. */
    public TaskExit endedAt(Instant at) {
        return new TaskExit(exitCode, stopCode, reason, at, recordLost);
    }

    public static TaskExit code(int exitCode) {
        return new TaskExit(OptionalInt.of(exitCode), "exited with code " + exitCode);
    }

    public static TaskExit withoutCode(String reason) {
        return new TaskExit(OptionalInt.empty(), reason);
    }

    /** The runtime lost the task's record: its outcome is unknown (never retried automatically). */
    public static TaskExit recordLost(String reason) {
        return new TaskExit(OptionalInt.empty(), "", reason, null, true);
    }
}
