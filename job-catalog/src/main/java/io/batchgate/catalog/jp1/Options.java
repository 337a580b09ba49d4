package io.batchgate.catalog.jp1;

import java.util.Optional;

/**
 * How to import: where jobs run besides locally, and the manager's time zone (JP1 schedules are in the manager's local
 * time; {@code ajsprint} does not say which).
 *
 * @param ecsCluster with {@code taskDefinition}: every job also gets an {@code ecs} target
 * @param container the container of the task definition that runs the job's command
 */
public record Options(Optional<String> ecsCluster, Optional<String> taskDefinition, String container, String timeZone) {

    public static Options defaults() {
        return new Options(Optional.empty(), Optional.empty(), "app", "Asia/Tokyo");
    }
}
