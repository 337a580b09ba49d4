package io.batchgate.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a job's {@code ecs} section; checks what RunTask would otherwise reject at launch time. */
final class EcsTargetReader {

    static final List<String> KEYS = List.of(
            "cluster",
            "taskDefinition",
            "container",
            "launchType",
            "capacityProviderStrategy",
            "platformVersion",
            "network",
            "taskRole",
            "executionRole",
            "env",
            "command",
            "cpu",
            "memory",
            "tags",
            "propagateTags");
    static final List<String> CAPACITY_PROVIDER_KEYS = List.of("provider", "weight", "base");
    static final List<String> NETWORK_KEYS = List.of("subnets", "securityGroups", "assignPublicIp");

    private static final Pattern TASK_DEFINITION = Pattern.compile("[A-Za-z0-9_-]{1,255}(:[1-9][0-9]*)?"
            + "|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]{1,255}(:[1-9][0-9]*)?");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+");

    private EcsTargetReader() {}

    static Optional<EcsTarget> read(MappingReader ecs, Set<String> paramNames) {
        Problems problems = ecs.problems();
        int before = problems.errorCount();
        Optional<String> cluster = ecs.requiredString("cluster");
        Optional<String> taskDefinition = ecs.requiredString("taskDefinition");
        taskDefinition.ifPresent(value -> {
            if (!TASK_DEFINITION.matcher(value).matches()) {
                ecs.error(
                        "taskDefinition",
                        "must be a task definition family, family:revision or ARN, found '"
                                + LocatedNode.Shown.text(value) + "'");
            }
        });
        Optional<String> container = ecs.requiredString("container");
        Optional<String> launchType = ecs.oneOf("launchType", EcsTarget.LAUNCH_TYPES);
        List<EcsTarget.CapacityProvider> strategy = readStrategy(ecs);
        if (ecs.has("launchType") && ecs.has("capacityProviderStrategy")) {
            ecs.error("capacityProviderStrategy", "not allowed together with launchType");
        }
        Optional<String> platformVersion = ecs.string("platformVersion");
        Optional<EcsTarget.NetworkConfig> network =
                ecs.mapping("network", NETWORK_KEYS).flatMap(EcsTargetReader::readNetwork);
        Optional<String> taskRole = roleArn(ecs, "taskRole");
        Optional<String> executionRole = roleArn(ecs, "executionRole");
        Optional<Map<String, String>> env = FixedEnvReader.read(ecs, paramNames);
        List<String> command = ecs.strings("command", true).orElse(List.of());
        Optional<Integer> cpu = ecs.integer("cpu", 1, Integer.MAX_VALUE);
        Optional<Integer> memory = ecs.integer("memory", 1, Integer.MAX_VALUE);
        Map<String, String> tags =
                ecs.mapping("tags", List.of()).map(EcsTargetReader::readTags).orElse(Map.of());
        Optional<String> propagateTags = ecs.oneOf("propagateTags", EcsTarget.PROPAGATE_TAGS);
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new EcsTarget(
                cluster.orElseThrow(),
                taskDefinition.orElseThrow(),
                container.orElseThrow(),
                launchType,
                strategy,
                platformVersion,
                network,
                taskRole,
                executionRole,
                env.orElseThrow(),
                command,
                cpu,
                memory,
                tags,
                propagateTags));
    }

    private static List<EcsTarget.CapacityProvider> readStrategy(MappingReader ecs) {
        List<EcsTarget.CapacityProvider> strategy = new ArrayList<>();
        ecs.sequence("capacityProviderStrategy", true).ifPresent(sequence -> {
            List<LocatedNode> items = sequence.items();
            for (int i = 0; i < items.size(); i++) {
                String field = ecs.field("capacityProviderStrategy") + "[" + i + "]";
                MappingReader.of(items.get(i), field, items.get(i).line(), ecs.problems(), CAPACITY_PROVIDER_KEYS)
                        .ifPresent(item -> {
                            Optional<String> provider = item.requiredString("provider");
                            int weight = item.integer("weight", 0, 1000).orElse(1);
                            int base = item.integer("base", 0, 100000).orElse(0);
                            provider.ifPresent(
                                    name -> strategy.add(new EcsTarget.CapacityProvider(name, weight, base)));
                        });
            }
        });
        return strategy;
    }

    private static Optional<EcsTarget.NetworkConfig> readNetwork(MappingReader network) {
        Optional<List<String>> subnets = network.strings("subnets", true);
        if (!network.has("subnets")) {
            network.missing("subnets");
        }
        List<String> securityGroups = network.strings("securityGroups", false).orElse(List.of());
        boolean assignPublicIp = network.bool("assignPublicIp").orElse(false);
        return subnets.map(s -> new EcsTarget.NetworkConfig(s, securityGroups, assignPublicIp));
    }

    private static Optional<String> roleArn(MappingReader ecs, String key) {
        Optional<String> arn = ecs.string(key);
        if (arn.isPresent() && !ROLE_ARN.matcher(arn.get()).matches()) {
            ecs.error(
                    key,
                    "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), found '"
                            + LocatedNode.Shown.text(arn.get()) + "'");
            return Optional.empty();
        }
        return arn;
    }

    /** ECS limits: keys 1-128 characters, values up to 256, and the aws: prefix belongs to AWS. */
    private static Map<String, String> readTags(MappingReader tags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (LocatedNode.Entry entry : tags.entries()) {
            String field = tags.field(entry.key());
            if (entry.key().isEmpty() || entry.key().length() > 128) {
                tags.problems().error(entry.keyLine(), field, "tag keys must be 1 to 128 characters long");
            } else if (entry.key().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                tags.problems().error(entry.keyLine(), field, "the aws: prefix is reserved for AWS tags");
            }
            Values.string(entry.value(), field, tags.problems()).ifPresent(value -> {
                if (value.length() > 256) {
                    tags.problems().error(entry.value().line(), field, "tag values must be at most 256 characters");
                }
                values.put(entry.key(), value);
            });
        }
        return values;
    }
}
