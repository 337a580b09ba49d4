package io.batchgate.runner.runtime.ecs.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A RunTask request, parsed and checked against the limits ECS enforces on the request alone. Checks that need the
 * simulator's state (cluster, task definition, container names) happen in {@link EcsSimulator}.
 */
record RunTaskInput(
        JsonNode json,
        String cluster,
        String taskDefinition,
        int count,
        String launchType,
        String capacityProviderName,
        String platformVersion,
        String startedBy,
        String group,
        String clientToken,
        JsonNode overrides,
        List<String> overriddenContainers,
        Map<String, String> env,
        Map<String, String> tags) {

    static final int MAX_COUNT = 10;
    static final int MAX_TAGS = 50;
    static final int MAX_OVERRIDES_LENGTH = 8192;
    private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9_/-]{1,128}");
    private static final Pattern CLIENT_TOKEN = Pattern.compile("[\\x21-\\x7E]{1,64}");

    /** @param overridesLength the characters of the request's {@code overrides} JSON as received */
    static RunTaskInput parse(JsonNode json, int overridesLength) {
        String taskDefinition = SimJson.text(json, "taskDefinition");
        if (taskDefinition == null || taskDefinition.isBlank()) {
            throw SimException.invalidParameter("TaskDefinition can not be blank.");
        }
        Integer count = SimJson.integer(json, "count");
        if (count != null && (count < 1 || count > MAX_COUNT)) {
            throw SimException.invalidParameter("Count must be between 1 and " + MAX_COUNT + ".");
        }
        String launchType = SimJson.text(json, "launchType");
        JsonNode strategy = json.path("capacityProviderStrategy");
        if (launchType != null && strategy.isArray() && !strategy.isEmpty()) {
            throw SimException.invalidParameter(
                    "Specifying both a launchType and capacityProviderStrategy is not supported. Remove one and try again.");
        }
        String capacityProvider = strategy.isArray() && !strategy.isEmpty()
                ? strategy.get(0).path("capacityProvider").asString(null)
                : null;
        if (launchType == null) {
            // Fargate capacity providers still report launchType FARGATE; with neither, a cluster without a default
            // capacity provider strategy launches on EC2.
            launchType = capacityProvider == null ? "EC2" : capacityProvider.startsWith("FARGATE") ? "FARGATE" : null;
        }
        String startedBy = SimJson.text(json, "startedBy");
        if (startedBy != null && !STARTED_BY.matcher(startedBy).matches()) {
            throw SimException.invalidParameter(
                    "startedBy must be up to 128 letters, numbers, hyphens, forward slashes and underscores.");
        }
        String clientToken = SimJson.text(json, "clientToken");
        if (clientToken != null && !CLIENT_TOKEN.matcher(clientToken).matches()) {
            throw SimException.invalidParameter("clientToken must be 1 to 64 ASCII characters in the range 33-126.");
        }
        Map<String, String> tags = tags(json.path("tags"));
        JsonNode overrides = json.get("overrides");
        List<String> overridden = new ArrayList<>();
        Map<String, String> env = Map.of();
        if (overrides != null && !overrides.isNull()) {
            // ECS counts the JSON of all overrides together, as sent, which is why big env vars fail at launch.
            if (overridesLength > MAX_OVERRIDES_LENGTH) {
                throw SimException.invalidParameter(
                        "Container Overrides length must be at most " + MAX_OVERRIDES_LENGTH);
            }
            for (JsonNode containerOverride : overrides.path("containerOverrides")) {
                overridden.add(containerOverride.path("name").asString(""));
            }
            JsonNode first = overrides.path("containerOverrides").path(0);
            env = keyValues(first.path("environment"), "name", "value");
        }
        return new RunTaskInput(
                json,
                SimArns.clusterName(SimJson.text(json, "cluster")),
                SimArns.taskDefinitionReference(taskDefinition),
                count == null ? 1 : count,
                launchType,
                capacityProvider,
                SimJson.text(json, "platformVersion"),
                startedBy,
                SimJson.text(json, "group"),
                clientToken,
                overrides == null || overrides.isNull() ? null : overrides,
                List.copyOf(overridden),
                env,
                tags);
    }

    private static Map<String, String> tags(JsonNode tags) {
        if (tags.size() > MAX_TAGS) {
            throw SimException.invalidParameter("Tags can contain at most " + MAX_TAGS + " tags.");
        }
        return keyValues(tags, "key", "value");
    }

    private static Map<String, String> keyValues(JsonNode pairs, String keyField, String valueField) {
        if (pairs.isMissingNode() || pairs.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (JsonNode pair : pairs) {
            map.put(pair.path(keyField).asString(""), pair.path(valueField).asString(""));
        }
        return Collections.unmodifiableMap(map);
    }

    /** A simulator knob from the container environment, e.g. SIM_RUN_MS; a malformed value is a test bug. */
    long envLong(String name, long defaultValue) {
        String value = env.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw SimException.invalidParameter("simulator: " + name + " is not a number: " + value);
        }
    }
}
