package io.batchgate.runner.runtime.ecs;

import io.batchgate.catalog.EcsTarget;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.SecretMask;
import io.batchgate.runner.runtime.TaskLaunch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import tools.jackson.databind.json.JsonMapper;

/**
 * One RunTask call, built from the catalog's {@code ecs} target and the attempt's environment —
 * both as the SDK request and as the JSON it amounts to (secrets masked) for dry runs and checks.
 */
final class EcsLaunchPlan {

    /** ECS refuses overrides whose JSON exceeds this many characters. */
    static final int MAX_OVERRIDES_CHARS = 8192;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EcsTarget target;
    private final AttemptRef attempt;
    private final int launchTry;
    private final Map<String, String> environment;
    private final Map<String, String> maskedEnvironment;
    private final String jobName;

    EcsLaunchPlan(TaskLaunch launch, int launchTry) {
        this.target = launch.job().ecs().orElseThrow(() -> new IllegalArgumentException("no ecs target"));
        this.attempt = launch.attempt();
        this.launchTry = launchTry;
        this.jobName = launch.job().name();
        this.environment = merged(target.env(), launch.environment());
        this.maskedEnvironment = merged(target.env(), SecretMask.environment(launch));
    }

    private static Map<String, String> merged(Map<String, String> fixed, Map<String, String> launch) {
        Map<String, String> env = new LinkedHashMap<>(fixed);
        env.putAll(launch);
        return env;
    }

    /** Unique per attempt, so a restarted runner can find the task with ListTasks(startedBy). */
    static String startedBy(AttemptRef attempt) {
        return "batchgate/" + attempt.runId().value() + "/" + attempt.attempt();
    }

    /**
     * Unique per launch try: replaying the identical RunTask within 24 h returns the task it
     * started, while an infrastructure retry of the attempt is a new launch.
     */
    String clientToken() {
        return attempt.runId().value() + "-" + attempt.attempt() + "-" + launchTry;
    }

    String cluster() {
        return target.cluster();
    }

    RunTaskRequest request() {
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(target.cluster())
                .taskDefinition(target.taskDefinition())
                .count(1)
                .startedBy(startedBy(attempt))
                .clientToken(clientToken())
                .overrides(overrides(environment))
                .tags(tags().entrySet().stream()
                        .map(tag -> Tag.builder()
                                .key(tag.getKey())
                                .value(tag.getValue())
                                .build())
                        .toList());
        target.launchType().ifPresent(request::launchType);
        if (!target.capacityProviderStrategy().isEmpty()) {
            request.capacityProviderStrategy(target.capacityProviderStrategy().stream()
                    .map(item -> CapacityProviderStrategyItem.builder()
                            .capacityProvider(item.provider())
                            .weight(item.weight())
                            .base(item.base())
                            .build())
                    .toList());
        }
        target.platformVersion().ifPresent(request::platformVersion);
        target.propagateTags().ifPresent(request::propagateTags);
        target.network()
                .ifPresent(network -> request.networkConfiguration(NetworkConfiguration.builder()
                        .awsvpcConfiguration(AwsVpcConfiguration.builder()
                                .subnets(network.subnets())
                                .securityGroups(network.securityGroups())
                                .assignPublicIp(
                                        network.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)
                                .build())
                        .build()));
        return request.build();
    }

    private TaskOverride overrides(Map<String, String> env) {
        ContainerOverride.Builder container = ContainerOverride.builder()
                .name(target.container())
                .environment(env.entrySet().stream()
                        .map(e -> KeyValuePair.builder()
                                .name(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList());
        if (!target.command().isEmpty()) {
            container.command(target.command());
        }
        TaskOverride.Builder task = TaskOverride.builder().containerOverrides(container.build());
        target.cpu().ifPresent(cpu -> task.cpu(Integer.toString(cpu)));
        target.memory().ifPresent(memory -> task.memory(Integer.toString(memory)));
        target.taskRole().ifPresent(task::taskRoleArn);
        target.executionRole().ifPresent(task::executionRoleArn);
        return task.build();
    }

    private Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>(target.tags());
        tags.put("batchgate:run-id", attempt.runId().value());
        tags.put("batchgate:job", jobName);
        tags.put("batchgate:attempt", Integer.toString(attempt.attempt()));
        return tags;
    }

    /** The overrides as JSON, the way ECS measures them against its 8192-character limit. */
    int overridesLength() {
        return JSON.writeValueAsString(overridesJson(environment)).length();
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        int length = overridesLength();
        if (length > MAX_OVERRIDES_CHARS) {
            problems.add("the ECS overrides of this launch would be " + length + " characters of JSON; ECS accepts at"
                    + " most " + MAX_OVERRIDES_CHARS + " (shorten the parameter values or the catalog's env)");
        }
        return problems;
    }

    /** The request as JSON-shaped maps, secrets masked: what a dry run shows. */
    Map<String, Object> preview() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("cluster", target.cluster());
        request.put("taskDefinition", target.taskDefinition());
        request.put("count", 1);
        target.launchType().ifPresent(type -> request.put("launchType", type));
        if (!target.capacityProviderStrategy().isEmpty()) {
            request.put(
                    "capacityProviderStrategy",
                    target.capacityProviderStrategy().stream()
                            .map(item -> Map.of(
                                    "capacityProvider", item.provider(), "weight", item.weight(), "base", item.base()))
                            .toList());
        }
        target.platformVersion().ifPresent(version -> request.put("platformVersion", version));
        target.network()
                .ifPresent(network -> request.put(
                        "networkConfiguration",
                        Map.of(
                                "awsvpcConfiguration",
                                Map.of(
                                        "subnets",
                                        network.subnets(),
                                        "securityGroups",
                                        network.securityGroups(),
                                        "assignPublicIp",
                                        network.assignPublicIp() ? "ENABLED" : "DISABLED"))));
        request.put("overrides", overridesJson(maskedEnvironment));
        request.put("startedBy", startedBy(attempt));
        request.put("clientToken", clientToken());
        request.put(
                "tags",
                tags().entrySet().stream()
                        .map(tag -> Map.of("key", tag.getKey(), "value", tag.getValue()))
                        .toList());
        target.propagateTags().ifPresent(propagate -> request.put("propagateTags", propagate));
        return request;
    }

    private Map<String, Object> overridesJson(Map<String, String> env) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", target.container());
        container.put(
                "environment",
                env.entrySet().stream()
                        .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
                        .toList());
        if (!target.command().isEmpty()) {
            container.put("command", target.command());
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("containerOverrides", List.of(container));
        target.cpu().ifPresent(cpu -> overrides.put("cpu", Integer.toString(cpu)));
        target.memory().ifPresent(memory -> overrides.put("memory", Integer.toString(memory)));
        target.taskRole().ifPresent(role -> overrides.put("taskRoleArn", role));
        target.executionRole().ifPresent(role -> overrides.put("executionRoleArn", role));
        return overrides;
    }
}
