package io.batchgate.runner.run;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The user-visible lifecycle of a run (see DESIGN.md, "Run lifecycle"). */
public enum RunStatus {
    QUEUED,
    LAUNCHING,
    RUNNING,
    STOPPING,
    RETRY_WAIT,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    SKIPPED;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(LAUNCHING, CANCELLED, SKIPPED),
            LAUNCHING, EnumSet.of(RUNNING, FAILED, RETRY_WAIT, CANCELLED, STOPPING),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, STOPPING, RETRY_WAIT, CANCELLED),
            STOPPING, EnumSet.of(CANCELLED, TIMED_OUT, FAILED, SUCCEEDED, RETRY_WAIT),
            RETRY_WAIT, EnumSet.of(QUEUED, LAUNCHING, CANCELLED, TIMED_OUT),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            TIMED_OUT, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            SKIPPED, EnumSet.noneOf(RunStatus.class));

    /**
     * Every state before the end: the runs that overlap ({@code forbid}, {@code replace}, {@code
     * queue}) counts as still running, including those waiting to launch or to retry.
     */
    public static final Set<RunStatus> ACTIVE = Collections.unmodifiableSet(Arrays.stream(values())
            .filter(status -> !status.isFinal())
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(RunStatus.class))));

    /**
     * The active states that hold one of the job's concurrency slots: a task is being launched,
     * runs, or is being stopped. Waiting to launch (QUEUED) or to retry (RETRY_WAIT) holds none.
     */
    public static final Set<RunStatus> HOLDING = Collections.unmodifiableSet(ACTIVE.stream()
            .filter(status -> status != QUEUED && status != RETRY_WAIT)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(RunStatus.class))));

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }
}
