package io.batchgate.runner.runtime.ecs;

import io.batchgate.catalog.EcsTarget;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.logs.AttemptLogs;
import io.batchgate.runner.logs.LogLocation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Finds each ECS attempt's CloudWatch stream from its task definition's {@code awslogs}
 * configuration — group {@code awslogs-group}, stream {@code <awslogs-stream-prefix>/<container>/<task
 * id>} — and records it on the attempt. Records a warning instead when the container does not log
 * to CloudWatch with a stream prefix, or when the driver's {@code mode} is not {@code blocking}
 * (non-blocking, the default since 2025, drops lines when its buffer fills).
 */
class EcsLogStreams implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EcsLogStreams.class);
    private static final Duration LOOK_BACK = Duration.ofDays(2);

    private final EcsAsyncClient ecs;
    private final CurrentCatalog catalog;
    private final AttemptLogs attemptLogs;
    private final Clock clock;

    public EcsLogStreams(EcsAsyncClient ecs, CurrentCatalog catalog, AttemptLogs attemptLogs, Clock clock) {
        this.ecs = ecs;
        this.catalog = catalog;
        this.attemptLogs = attemptLogs;
        this.clock = clock;
    }

    /** Where an awslogs container's task logs, and what makes that log incomplete. */
    public record Resolved(
            @Nullable LogLocation location, @Nullable String warning) {}

    @Override
    public void run() {
        Map<String, TaskDefinition> definitions = new HashMap<>();
        for (AttemptLogs.Pending attempt :
                attemptLogs.withoutStream(EcsTaskRuntime.NAME, clock.instant().minus(LOOK_BACK), 100)) {
            Optional<EcsTarget> target =
                    catalog.definition(attempt.job(), attempt.catalogVersion()).flatMap(JobDefinition::ecs);
            if (target.isEmpty() || attempt.taskHandle() == null) {
                attemptLogs.located(attempt.runId(), attempt.attempt(), null, "the job has no ECS target any more");
                continue;
            }
            TaskDefinition definition;
            try {
                definition = definitions.computeIfAbsent(target.get().taskDefinition(), this::describe);
            } catch (CompletionException e) {
                log.warn(
                        "DescribeTaskDefinition {} failed; the next pass tries again: {}",
                        target.get().taskDefinition(),
                        String.valueOf(e.getCause()));
                continue;
            }
            Resolved resolved = resolve(definition, target.get().container(), attempt.taskHandle());
            attemptLogs.located(attempt.runId(), attempt.attempt(), resolved.location(), resolved.warning());
        }
    }

    private TaskDefinition describe(String taskDefinition) {
        return ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition))
                .join()
                .taskDefinition();
    }

    static Resolved resolve(TaskDefinition definition, String containerName, String taskArn) {
        Optional<ContainerDefinition> container = definition.containerDefinitions().stream()
                .filter(c -> containerName.equals(c.name()))
                .findFirst();
        LogConfiguration logging =
                container.map(ContainerDefinition::logConfiguration).orElse(null);
        if (logging == null || logging.logDriver() != LogDriver.AWSLOGS) {
            return new Resolved(null, "container '" + containerName + "' does not log with the awslogs driver");
        }
        Map<String, String> options = logging.options();
        String group = options.get("awslogs-group");
        String prefix = options.get("awslogs-stream-prefix");
        if (group == null || prefix == null) {
            return new Resolved(
                    null, "container '" + containerName + "' has no awslogs-group or awslogs-stream-prefix");
        }
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        LogLocation location = new LogLocation(group, prefix + "/" + containerName + "/" + taskId);
        String mode = options.getOrDefault("mode", "non-blocking");
        return new Resolved(
                location,
                "blocking".equals(mode)
                        ? null
                        : "awslogs mode is " + mode + ": the driver drops lines when its buffer is full;"
                                + " set mode: blocking in the task definition for complete logs");
    }
}
