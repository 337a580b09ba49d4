package io.batchgate.runner.runtime;

import io.batchgate.runner.run.TaskHandle;

/** The answer to a start: the task was started, or the runtime refused it and says why. */
public sealed interface StartResult {

    /**
     * @param running whether the task runs already (a local process has started); false while the
     *     runtime still places it (ECS: PROVISIONING, PENDING) — the runtime reports it to its
     *     sink's {@link TaskExitSink#running} once it runs, and the start timeout runs until then
     */
    record Started(TaskHandle handle, boolean running) implements StartResult {

        public Started(TaskHandle handle) {
            this(handle, true);
        }
    }

    /** {@code retryable}: an infrastructure refusal (capacity, throttling) that may pass if tried later. */
    record Refused(String reason, boolean retryable) implements StartResult {}
}
