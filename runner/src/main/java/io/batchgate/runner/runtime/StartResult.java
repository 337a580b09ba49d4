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

    /**
     * {@code retryable}: an infrastructure refusal (capacity, throttling) that may pass if tried
     * later. {@code kind} says which, for the launch metrics.
     */
    record Refused(String reason, boolean retryable, Kind kind) implements StartResult {

        /** A refusal of no particular kind: a service fault if retryable, else configuration. */
        public Refused(String reason, boolean retryable) {
            this(reason, retryable, retryable ? Kind.UNAVAILABLE : Kind.CONFIGURATION);
        }
    }

    /** Why a runtime refused a launch, as operators graph it. */
    enum Kind {
        /** The service throttled the call (ECS ThrottlingException, "Rate exceeded"). */
        THROTTLED,
        /** batchgate's own launch rate limit had no permit in time: the launch was not even tried. */
        RATE_LIMITED,
        /** The service could not place the task (ECS RESOURCE:CPU, RESOURCE:MEMORY, AGENT, capacity). */
        CAPACITY,
        /** A service error, a network fault or anything else that may pass. */
        UNAVAILABLE,
        /** The launch can never work as configured (no target, bad parameter, no permission). */
        CONFIGURATION
    }
}
