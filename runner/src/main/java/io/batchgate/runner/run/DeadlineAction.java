package io.batchgate.runner.run;

/** What the caller must do to the task after a run's deadline passed. */
public enum DeadlineAction {
    /** Nothing more: the run changed state without a task to act on. */
    NONE,
    /** Ask the task to stop (SIGTERM / StopTask). */
    STOP_TASK,
    /** The stop grace is over: kill the task (SIGKILL; ECS escalates by itself). */
    KILL_TASK
}
