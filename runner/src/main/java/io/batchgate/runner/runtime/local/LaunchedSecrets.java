package io.batchgate.runner.runtime.local;

import io.batchgate.runner.runtime.AttemptRef;
import java.util.Map;

/**
 * Where the local runtime leaves the values of a job's {@code secrets:} it gives an attempt's
 * process, so that what batchgate serves and forwards of its output can be scrubbed of them (the
 * run's sealed scrub copy). On ECS batchgate never sees these values: ECS injects them.
 */
@FunctionalInterface
public interface LaunchedSecrets {

    /** Remembers nothing: for runtimes whose output nobody serves (tests of the process handling). */
    LaunchedSecrets NONE = (attempt, values) -> {};

    /**
     * Called before the process starts; a failure refuses the launch (retried later), so no
     * process runs whose output could not be scrubbed.
     *
     * @param values environment name to value, never empty
     */
    void remember(AttemptRef attempt, Map<String, String> values);
}
