package io.batchgate.runner.runtime.ecs;

import io.batchgate.runner.run.TaskExit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Reads how a STOPPED task ended: the exit code of the container batchgate overrode (the job's
 * container), or — when it has none (TaskFailedToStart, CannotPullContainerError, Spot
 * interruption, …) — an end without a code, which is never a success.
 */
final class EcsTaskEnds {

    private EcsTaskEnds() {}

    static TaskExit of(Task task) {
        return of(overriddenContainer(task), task.containers(), task.stopCodeAsString(), task.stoppedReason());
    }

    static TaskExit of(
            @Nullable String containerName,
            List<Container> containers,
            @Nullable String stopCode,
            @Nullable String stoppedReason) {
        Optional<Container> container = containers.stream()
                .filter(c -> containerName == null || containerName.equals(c.name()))
                .findFirst();
        String why = (stopCode == null ? "" : stopCode + ": ") + (stoppedReason == null ? "" : stoppedReason);
        if (container.isPresent() && container.get().exitCode() != null) {
            int code = container.get().exitCode() & 0xFF;
            return new TaskExit(
                    java.util.OptionalInt.of(code), stopCode, "exited with code " + code + " (" + why + ")");
        }
        String containerReason = container.map(Container::reason).orElse(null);
        return new TaskExit(
                java.util.OptionalInt.empty(),
                stopCode,
                "the task stopped without an exit code: " + why
                        + (containerReason == null ? "" : " (container: " + containerReason + ")"));
    }

    static @Nullable String overriddenContainer(Task task) {
        if (task.overrides() == null || task.overrides().containerOverrides().isEmpty()) {
            return task.containers().size() == 1 ? task.containers().get(0).name() : null;
        }
        return task.overrides().containerOverrides().stream()
                .map(ContainerOverride::name)
                .findFirst()
                .orElse(null);
    }
}
