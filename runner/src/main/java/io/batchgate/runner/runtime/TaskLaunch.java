package io.batchgate.runner.runtime;

import io.batchgate.catalog.JobDefinition;
import java.util.Map;

/**
 * Everything a runtime needs to start one attempt: the job as the catalog defines it, the
 * environment the caller's parameters resolve to (including BATCHGATE_RUN_ID and friends), and
 * which try of the attempt this is (infrastructure refusals are tried again as new launches).
 */
public record TaskLaunch(AttemptRef attempt, int launchTry, JobDefinition job, Map<String, String> environment) {

    public TaskLaunch {
        if (launchTry < 1) {
            throw new IllegalArgumentException("launch tries count from 1");
        }
        environment = Map.copyOf(environment);
    }

    public TaskLaunch(AttemptRef attempt, JobDefinition job, Map<String, String> environment) {
        this(attempt, 1, job, environment);
    }

    /** Secret values masked: a launch ends up in logs and exception messages. */
    @Override
    public String toString() {
        return "TaskLaunch[attempt=" + attempt + ", launchTry=" + launchTry + ", job=" + job.name() + ", environment="
                + new java.util.TreeMap<>(SecretMask.environment(this)) + "]";
    }
}
