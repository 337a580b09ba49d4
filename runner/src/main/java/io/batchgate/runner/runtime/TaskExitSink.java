package io.batchgate.runner.runtime;

import io.batchgate.runner.run.TaskExit;

/** Receives the end of a watched task. May be called more than once for the same attempt. */
@FunctionalInterface
public interface TaskExitSink {

    void exited(AttemptRef attempt, TaskExit exit);

    /**
     * A task started as not yet running (ECS: PROVISIONING, PENDING) runs now. May be called more
     * than once, also after its end.
     */
    default void running(AttemptRef attempt) {}
}
