package io.batchgate.runner.runtime;

import io.batchgate.runner.run.TaskExit;
import java.util.List;

/** Receives the end of a watched task. May be called more than once for the same attempt. */
@FunctionalInterface
public interface TaskExitSink {

    void exited(AttemptRef attempt, TaskExit exit);

    /**
     * The ends one look at the tasks found (a tracking sweep's): the sink may record them together,
     * in fewer transactions. Each is handled as {@link #exited} would handle it alone.
     */
    default void exitedAll(List<Ended> ends) {
        ends.forEach(ended -> exited(ended.attempt(), ended.exit()));
    }

    /** A watched task that ended, and how. */
    record Ended(AttemptRef attempt, TaskExit exit) {}

    /**
     * A task started as not yet running (ECS: PROVISIONING, PENDING) runs now. May be called more
     * than once, also after its end.
     */
    default void running(AttemptRef attempt) {}
}
