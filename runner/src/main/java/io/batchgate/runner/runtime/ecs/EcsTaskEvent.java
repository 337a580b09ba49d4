package io.batchgate.runner.runtime.ecs;

import io.batchgate.runner.run.TaskExit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ecs.model.Container;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An "ECS Task State Change" event as EventBridge delivers it: the task, the event's version
 * (ECS increments it with every change, so it orders events that arrive out of order), the
 * status, and — for a stopped task — how it ended.
 */
record EcsTaskEvent(String taskArn, long version, String lastStatus, TaskExit exit) {

    /** Parses an event; null if the JSON is not an ECS task state change. */
    public static @Nullable EcsTaskEvent parse(JsonMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
        if (root == null
                || !"ECS Task State Change".equals(root.path("detail-type").asString(""))) {
            return null;
        }
        JsonNode detail = root.path("detail");
        String arn = detail.path("taskArn").asString("");
        if (arn.isEmpty() || !detail.path("version").isNumber()) {
            return null;
        }
        List<Container> containers = new ArrayList<>();
        for (JsonNode container : detail.path("containers")) {
            Container.Builder builder = Container.builder()
                    .name(container.path("name").asString(null))
                    .reason(container.path("reason").asString(null));
            if (container.path("exitCode").isNumber()) {
                builder.exitCode(container.path("exitCode").asInt());
            }
            containers.add(builder.build());
        }
        JsonNode overrides = detail.path("overrides").path("containerOverrides");
        String overridden = overrides.isArray() && !overrides.isEmpty()
                ? overrides.get(0).path("name").asString(null)
                : containers.size() == 1 ? containers.get(0).name() : null;
        TaskExit exit = EcsTaskEnds.of(
                overridden,
                containers,
                detail.path("stopCode").asString(null),
                detail.path("stoppedReason").asString(null));
        return new EcsTaskEvent(
                arn, detail.path("version").asLong(), detail.path("lastStatus").asString(""), exit);
    }
}
