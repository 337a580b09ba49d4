package io.batchgate.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the ECS runtime starts a job: RunTask on {@code cluster} with {@code taskDefinition}, overriding
 * {@code container}. Either a launch type or a capacity provider strategy, or neither (the cluster's default).
 *
 * @param command empty means the task definition's own command
 */
public record EcsTarget(
        String cluster,
        String taskDefinition,
        String container,
        Optional<String> launchType,
        List<CapacityProvider> capacityProviderStrategy,
        Optional<String> platformVersion,
        Optional<NetworkConfig> network,
        Optional<String> taskRole,
        Optional<String> executionRole,
        Map<String, String> env,
        List<String> command,
        Optional<Integer> cpu,
        Optional<Integer> memory,
        Map<String, String> tags,
        Optional<String> propagateTags) {

    static final List<String> LAUNCH_TYPES = List.of("FARGATE", "EC2", "EXTERNAL");
    static final List<String> PROPAGATE_TAGS = List.of("TASK_DEFINITION", "SERVICE", "NONE");

    public EcsTarget {
        requireText(cluster, "cluster");
        requireText(taskDefinition, "taskDefinition");
        requireText(container, "container");
        Objects.requireNonNull(launchType, "launchType");
        capacityProviderStrategy = List.copyOf(capacityProviderStrategy);
        Objects.requireNonNull(platformVersion, "platformVersion");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(taskRole, "taskRole");
        Objects.requireNonNull(executionRole, "executionRole");
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        command = List.copyOf(command);
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        Objects.requireNonNull(propagateTags, "propagateTags");
        if (launchType.isPresent() && !LAUNCH_TYPES.contains(launchType.get())) {
            throw new IllegalArgumentException("launchType must be one of " + LAUNCH_TYPES);
        }
        if (launchType.isPresent() && !capacityProviderStrategy.isEmpty()) {
            throw new IllegalArgumentException("launchType and capacityProviderStrategy are mutually exclusive");
        }
        if (propagateTags.isPresent() && !PROPAGATE_TAGS.contains(propagateTags.get())) {
            throw new IllegalArgumentException("propagateTags must be one of " + PROPAGATE_TAGS);
        }
        EnvNames.requireValid(env.keySet());
    }

    private static void requireText(String value, String what) {
        if (Objects.requireNonNull(value, what).isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /** One entry of a capacity provider strategy, as RunTask takes it. */
    public record CapacityProvider(String provider, int weight, int base) {

        public CapacityProvider {
            requireText(provider, "provider");
            if (weight < 0 || weight > 1000) {
                throw new IllegalArgumentException("weight must be from 0 to 1000, found " + weight);
            }
            if (base < 0 || base > 100000) {
                throw new IllegalArgumentException("base must be from 0 to 100000, found " + base);
            }
        }
    }

    /** The awsvpc network configuration for RunTask. */
    public record NetworkConfig(List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {

        public NetworkConfig {
            subnets = List.copyOf(subnets);
            securityGroups = List.copyOf(securityGroups);
            if (subnets.isEmpty()) {
                throw new IllegalArgumentException("subnets must not be empty");
            }
        }
    }
}
