package io.batchgate.runner.runtime.ecs.sim;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A registered task definition revision: only what batchgate reads (containers, stop timeout, awslogs options). */
public record SimTaskDefinition(String family, int revision, List<Container> containers) {

    public SimTaskDefinition {
        containers = List.copyOf(containers);
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("a task definition needs at least one container");
        }
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
        ObjectNode json = SimJson.object()
                .put("taskDefinitionArn", arn())
                .put("family", family)
                .put("revision", revision)
                .put("status", "ACTIVE");
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
