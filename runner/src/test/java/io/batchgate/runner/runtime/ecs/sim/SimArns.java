package io.batchgate.runner.runtime.ecs.sim;

/** ARN formats of the simulated account; tasks use the new long format that contains the cluster name. */
final class SimArns {

    private static final String PREFIX = "arn:aws:ecs:" + EcsSimulator.REGION + ":" + EcsSimulator.ACCOUNT + ":";

    private SimArns() {}

    static String cluster(String name) {
        return PREFIX + "cluster/" + name;
    }

    static String task(String cluster, String id) {
        return PREFIX + "task/" + cluster + "/" + id;
    }

    static String container(String cluster, String taskId, String containerId) {
        return PREFIX + "container/" + cluster + "/" + taskId + "/" + containerId;
    }

    /** "name" or a cluster ARN to the name; null means ECS's "default" cluster. */
    static String clusterName(String reference) {
        if (reference == null || reference.isEmpty()) {
            return "default";
        }
        int slash = reference.indexOf(":cluster/");
        return reference.startsWith("arn:") && slash >= 0
                ? reference.substring(slash + ":cluster/".length())
                : reference;
    }

    /** A task ARN or a bare task id to the id (the last path segment of the ARN). */
    static String taskId(String reference) {
        return reference.startsWith("arn:") ? reference.substring(reference.lastIndexOf('/') + 1) : reference;
    }

    /** The cluster named in a long-format task ARN, or null for a bare id. */
    static String clusterOfTask(String reference) {
        int marker = reference.indexOf(":task/");
        if (!reference.startsWith("arn:") || marker < 0) {
            return null;
        }
        String path = reference.substring(marker + ":task/".length());
        int slash = path.indexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    /** "family", "family:revision" or a task definition ARN to "family" or "family:revision". */
    static String taskDefinitionReference(String reference) {
        int slash = reference.indexOf(":task-definition/");
        return reference.startsWith("arn:") && slash >= 0
                ? reference.substring(slash + ":task-definition/".length())
                : reference;
    }
}
