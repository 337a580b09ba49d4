package io.batchgate.runner.runtime.ecs.sim;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A registered task definition revision. One set up by a test holds only what batchgate reads (containers, stop
 * timeout, awslogs options); one registered over the wire (RegisterTaskDefinition) also keeps the request's fields
 * as sent ({@code registered}), its tags and whether it is still ACTIVE.
 */
public record SimTaskDefinition(
        String family,
        int revision,
        List<Container> containers,
        ObjectNode registered,
        Map<String, String> tags,
        boolean active) {

    public SimTaskDefinition {
        containers = List.copyOf(containers);
        tags = Map.copyOf(tags);
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("a task definition needs at least one container");
        }
    }

    public SimTaskDefinition(String family, int revision, List<Container> containers) {
        this(family, revision, containers, null, Map.of(), true);
    }

    SimTaskDefinition deregistered() {
        return new SimTaskDefinition(family, revision, containers, registered, tags, false);
    }

    /** One essential container; {@code logOptions} are the awslogs driver options, {@code stopTimeout} may be null. */
    public record Container(String name, Map<String, String> logOptions, Integer stopTimeout) {
        public Container {
            logOptions = Map.copyOf(logOptions);
        }
    }

    public String arn() {
        return "arn:aws:ecs:" + EcsSimulator.REGION + ":" + EcsSimulator.ACCOUNT + ":task-definition/" + family + ":"
                + revision;
    }

    boolean hasContainer(String name) {
        return containers.stream().anyMatch(c -> c.name().equals(name));
    }

    ObjectNode toJson() {
        if (registered != null) {
            ObjectNode json = registered.deepCopy();
            json.remove("tags");
            return json.put("taskDefinitionArn", arn())
                    .put("family", family)
                    .put("revision", revision)
                    .put("status", active ? "ACTIVE" : "INACTIVE");
        }
        ObjectNode json = SimJson.object()
                .put("taskDefinitionArn", arn())
                .put("family", family)
                .put("revision", revision)
                .put("status", active ? "ACTIVE" : "INACTIVE");
        ArrayNode definitions = json.putArray("containerDefinitions");
        for (Container container : containers) {
            ObjectNode definition =
                    definitions.addObject().put("name", container.name()).put("essential", true);
            if (container.stopTimeout() != null) {
                definition.put("stopTimeout", container.stopTimeout());
            }
            ObjectNode logConfiguration =
                    definition.putObject("logConfiguration").put("logDriver", "awslogs");
            ObjectNode options = logConfiguration.putObject("options");
            container.logOptions().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(option -> options.put(option.getKey(), option.getValue()));
        }
        return json;
    }
}
