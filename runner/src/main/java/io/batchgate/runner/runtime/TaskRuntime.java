package io.batchgate.runner.runtime;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.run.TaskHandle;
import java.util.List;
import java.util.Optional;

/**
 * Where attempts execute: a local process or an ECS task. Starting answers at once; the task's
 * end is reported later to the {@link TaskExitSink} the runtime was built with, once
 * {@link #watch} was called — so nothing holds a thread, a message or a transaction per task.
 */
public interface TaskRuntime {

    /** The name stored with attempts ({@code local}, {@code ecs}). */
    String name();

    /** Starts the attempt's task. Expected refusals are results, not exceptions. */
    StartResult start(TaskLaunch launch);

    /**
     * Follows a started task until it ends and reports the end to the sink — also for a task
     * that already ended, and for a task started by a runner that has since died.
     */
    void watch(AttemptRef attempt, TaskHandle handle);

    /**
     * Follows a task batchgate had asked to stop before this runner took it over (a restart, a
     * replica that died): like {@link #watch}, and a runtime whose stop request can get lost (ECS:
     * a failed StopTask) makes sure it reaches the task. The default only watches: the stop grace's
     * kill covers the rest.
     */
    default void watchStopping(AttemptRef attempt, TaskHandle handle, String reason) {
        watch(attempt, handle);
    }

    /**
     * Finds the task of an attempt caught between launch and the recording of its handle.
     * Empty means the task was never started, so launching it is safe.
     */
    Optional<TaskHandle> find(TaskLaunch launch);

    /**
     * Asks the task to stop (SIGTERM, then SIGKILL after the runtime's grace). The end is reported
     * to the sink like any other end.
     */
    void stop(TaskHandle handle, String reason);

    /**
     * The stop grace is over and the task still runs: kill it (SIGKILL to the process group).
     * A runtime whose stop escalates by itself (ECS: SIGKILL after the container's stopTimeout)
     * does nothing more.
     */
    void kill(TaskHandle handle);

    /**
     * What {@link #start} would send for this launch, with secret values masked, and the reasons
     * it would be refused before anything is sent (checked at trigger time and shown by dry runs).
     */
    LaunchPreview preview(TaskLaunch launch);

    /**
     * What would let the job run but make its attempts less than they should be (an incomplete
     * log): shown by dry runs, never a refusal. May ask the runtime's service, so it is for dry
     * runs only, not every trigger.
     */
    default List<String> warnings(JobDefinition job) {
        return List.of();
    }
}
