package io.batchgate.runner.runtime.ecs.sim;

import java.time.Instant;
import java.util.Map;

/**
 * A task as the simulator sees it at the moment of the call, for test assertions.
 *
 * @param env the environment overrides of the first container override (where batchgate puts its variables)
 * @param exitCode the essential container's exit code once stopped, null before or when it never ran
 * @param stoppedAt null until the task has stopped
 */
public record SimTask(
        String arn,
        String id,
        String cluster,
        String taskDefinitionArn,
        String startedBy,
        String clientToken,
        String group,
        Map<String, String> env,
        Map<String, String> tags,
        String lastStatus,
        String desiredStatus,
        Integer exitCode,
        String stopCode,
        String stoppedReason,
        Instant createdAt,
        Instant stoppedAt) {}
