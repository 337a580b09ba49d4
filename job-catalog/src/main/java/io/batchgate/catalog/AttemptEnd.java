package io.batchgate.catalog;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * How an attempt ended, as retry rules see it.
 *
 * @param exitCode the container's or process's exit code; empty if the task ended without one
 * @param stopCode the ECS stop code ({@code SpotInterruption}, {@code TaskFailedToStart}, ...), {@code ""} if none
 * @param stopReason the stop reason or runtime message, {@code ""} if none
 * @param timedOut whether the attempt was stopped by the run timeout
 * @param startTimedOut whether the attempt's task was stopped because it was not running within the start timeout
 */
public record AttemptEnd(
        OptionalInt exitCode, String stopCode, String stopReason, boolean timedOut, boolean startTimedOut) {

    public AttemptEnd(OptionalInt exitCode, String stopCode, String stopReason, boolean timedOut) {
        this(exitCode, stopCode, stopReason, timedOut, false);
    }

    public AttemptEnd {
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(stopCode, "stopCode");
        Objects.requireNonNull(stopReason, "stopReason");
    }

    /** The task ended without an exit code: killed, failed to start, or its record was lost. */
    public boolean lost() {
        return exitCode.isEmpty();
    }
}
