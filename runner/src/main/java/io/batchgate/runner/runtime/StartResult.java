package io.batchgate.runner.runtime;

import io.batchgate.runner.run.TaskHandle;

/** The answer to a start: the task is running, or the runtime refused it and says why. */
public sealed interface StartResult {

    record Started(TaskHandle handle) implements StartResult {}

    /** {@code retryable}: an infrastructure refusal (capacity, throttling) that may pass if tried later. */
    record Refused(String reason, boolean retryable) implements StartResult {}
}
