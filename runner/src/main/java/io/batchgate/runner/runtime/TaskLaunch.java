package io.batchgate.runner.runtime;

import io.batchgate.catalog.JobDefinition;
import java.util.Map;

/**
 * Everything a runtime needs to start one attempt: the job as the catalog defines it and the
 * environment the caller's parameters resolve to (including BATCHGATE_RUN_ID and friends).
 */
public record TaskLaunch(AttemptRef attempt, JobDefinition job, Map<String, String> environment) {

    public TaskLaunch {
        environment = Map.copyOf(environment);
    }
}
