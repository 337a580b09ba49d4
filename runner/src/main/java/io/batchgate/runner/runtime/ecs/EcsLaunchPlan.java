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

/**
 * One RunTask call, built once as the SDK request from the catalog's {@code ecs} target and the
 * attempt's environment. The overrides limit is measured on that request as the SDK marshals it,
 * and a dry run shows the same request, secrets masked.
 */
final class EcsLaunchPlan {

    /** ECS refuses overrides whose JSON exceeds this many characters. */
    static final int MAX_OVERRIDES_CHARS = 8192;

    private final EcsTarget target;
    private final AttemptRef attempt;
    private final int launchTry;
    private final Map<String, String> maskedEnvironment;
    private final String jobName;
    private final EcsRequestJson wire;
    private final String taskDefinition;
    private final RunTaskRequest request;

    /** @param taskDefinition the catalog's, or the revision registered with the job's secrets */
    EcsLaunchPlan(TaskLaunch launch, int launchTry, String taskDefinition, EcsRequestJson wire) {
        this.target = launch.job().ecs().orElseThrow(() -> new IllegalArgumentException("no ecs target"));
        this.attempt = launch.attempt();
        this.launchTry = launchTry;
        this.jobName = launch.job().name();
        this.wire = wire;
        this.taskDefinition = taskDefinition;
        this.maskedEnvironment = merged(target.env(), SecretMask.environment(launch));
        this.request = build(merged(target.env(), launch.environment()));
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
        return request;
    }

    private RunTaskRequest build(Map<String, String> environment) {
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(target.cluster())
                .taskDefinition(taskDefinition)
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

    /** The characters of the overrides' JSON as the SDK sends it, escapes included: what ECS holds to its limit. */
    int overridesLength() {
        return wire.member(wire.body(request), "overrides").length();
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

    /** The request as sent, as JSON-shaped maps with secret values masked: what a dry run shows. */
    Map<String, Object> preview() {
        return wire.map(wire.body(masked(request)));
    }

    private RunTaskRequest masked(RunTaskRequest request) {
        TaskOverride overrides = request.overrides();
        return request.toBuilder()
                .overrides(overrides.toBuilder()
                        .containerOverrides(overrides.containerOverrides().stream()
                                .map(container -> container.toBuilder()
                                        .environment(container.environment().stream()
                                                .map(pair -> pair.toBuilder()
                                                        .value(maskedEnvironment.getOrDefault(
                                                                pair.name(), pair.value()))
                                                        .build())
                                                .toList())
                                        .build())
                                .toList())
                        .build())
                .build();
    }
}
