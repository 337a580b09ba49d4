package io.batchgate.runner.admission;

import io.batchgate.catalog.ParamViolation;
import io.batchgate.runner.run.RunId;
import java.util.List;

/** Why admission stored nothing. Each way in turns these into its own answers. */
public sealed interface Refusal {

    /** No job of that name in the catalog as it is now. */
    record UnknownJob(String job) implements Refusal {}

    /** The job exists but this deployment cannot run it (e.g. its runtime is not configured). */
    record NotRunnable(String job, String why) implements Refusal {}

    /** The parameters do not fit the job's declaration: every violation, not just the first. */
    record InvalidParams(String job, List<ParamViolation> violations) implements Refusal {

        public InvalidParams {
            violations = List.copyOf(violations);
        }
    }

    /** The runtime would refuse the launch (e.g. the request is over ECS's size limit). */
    record LaunchRefused(String job, List<String> problems) implements Refusal {

        public LaunchRefused {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Values for {@code secret: true} params of a job that runs on ECS: they would travel as container
     * overrides, readable with DescribeTasks and in CloudTrail. The job's {@code secrets:} is the way.
     */
    record SecretParamsOnEcs(String job, List<String> params) implements Refusal {

        public SecretParamsOnEcs {
            params = List.copyOf(params);
        }
    }

    /** Overlap {@code queue}: the job already has {@code maxQueued} runs waiting. */
    record QueueFull(String job, int maxQueued) implements Refusal {}

    /** A key that names an earlier run was sent again with other parameters. */
    record KeyReused(Key key, RunId run) implements Refusal {}

    enum Key {
        IDEMPOTENCY,
        EXECUTION
    }
}
