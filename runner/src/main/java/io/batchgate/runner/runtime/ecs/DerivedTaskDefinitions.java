package io.batchgate.runner.runtime.ecs;

import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.catalog.EcsTarget;
import io.batchgate.runner.quota.LaunchBucket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Task definition revisions with a job's {@code secrets} added to its container: RunTask overrides
 * cannot carry {@code secrets}, so batchgate registers a copy of the catalog's revision (same fields,
 * plus the container's secrets; nothing else changed) in a family of its own ({@code <family>-bgsecrets},
 * so the source family's latest revision stays the catalog's), once per content hash.
 *
 * <p>The hash covers the source family and revision, the container and the resolved secret ARNs.
 * Revisions are kept in {@code bg_ecs_derived_td} rather than found by tag: ECS cannot list task
 * definitions by tag, and the table's primary key makes parallel registrations on several replicas
 * settle on one revision (the loser deregisters its own). Each use stamps {@code last_used_at}, which
 * also tells a replica whose in-memory entry the sweeper has removed meanwhile. The revision also carries
 * the tag {@code batchgate:secrets-hash} for people looking at it in the console.
 */
public class DerivedTaskDefinitions {

    static final String FAMILY_SUFFIX = "-bgsecrets";
    static final String HASH_TAG = "batchgate:secrets-hash";
    private static final Logger log = LoggerFactory.getLogger(DerivedTaskDefinitions.class);
    /** family:revision, or an ARN ending in one: such a reference always means the same revision. */
    private static final Pattern PINNED = Pattern.compile(".*:[1-9][0-9]*$");

    private final EcsAsyncClient ecs;
    private final JdbcClient jdbc;
    private final LaunchBucket registerBucket;
    private final Duration permitWait;
    private final Clock clock;
    /** Pinned reference + container + secrets to the derived ARN: saves the DescribeTaskDefinition. */
    private final Map<String, String> byPinnedReference = new ConcurrentHashMap<>();
    /** Content hash to the derived ARN. */
    private final Map<String, String> byHash = new ConcurrentHashMap<>();
    /** One registration at a time per hash on this replica. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public DerivedTaskDefinitions(
            EcsAsyncClient ecs, JdbcClient jdbc, LaunchBucket registerBucket, Duration permitWait, Clock clock) {
        this.ecs = ecs;
        this.jdbc = jdbc;
        this.registerBucket = registerBucket;
        this.permitWait = permitWait;
        this.clock = clock;
    }

    /** The task definition ARN to launch, or why not (retryable when only the rate limit stood in the way). */
    public sealed interface Resolution {
        record Ready(String taskDefinitionArn) implements Resolution {}

        record Unavailable(String reason, boolean retryable) implements Resolution {}
    }

    public Resolution resolve(EcsTarget target, Map<String, String> secrets) {
        Map<String, String> sorted = new TreeMap<>(secrets);
        String pinnedKey = target.taskDefinition() + "\n" + target.container() + "\n" + sorted;
        boolean pinned = PINNED.matcher(target.taskDefinition()).matches();
        if (pinned) {
            String arn = byPinnedReference.get(pinnedKey);
            if (arn != null && touch(arn)) {
                return new Resolution.Ready(arn);
            }
        }
        TaskDefinition source;
        try {
            source = ecs.describeTaskDefinition(r -> r.taskDefinition(target.taskDefinition()))
                    .join()
                    .taskDefinition();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Resolution.Unavailable(
                    "cannot read task definition " + target.taskDefinition() + ": " + cause.getMessage(),
                    EcsRefusals.isThrottling(cause));
        }
        if (source.containerDefinitions().stream().noneMatch(c -> c.name().equals(target.container()))) {
            return new Resolution.Unavailable(
                    "task definition " + source.taskDefinitionArn() + " has no container " + target.container(), false);
        }
        String hash = hash(source.family(), source.revision(), target.container(), sorted);
        Resolution resolution;
        synchronized (locks.computeIfAbsent(hash, h -> new Object())) {
            resolution = resolveLocked(hash, source, target.container(), sorted);
        }
        if (pinned && resolution instanceof Resolution.Ready ready) {
            byPinnedReference.put(pinnedKey, ready.taskDefinitionArn());
        }
        return resolution;
    }

    private Resolution resolveLocked(
            String hash, TaskDefinition source, String container, Map<String, String> secrets) {
        String known = byHash.get(hash);
        if (known != null && touch(known)) {
            return new Resolution.Ready(known);
        }
        Optional<String> stored = stored(hash);
        if (stored.isPresent() && touch(stored.get())) {
            byHash.put(hash, stored.get());
            return new Resolution.Ready(stored.get());
        }
        try {
            if (!registerBucket.take(permitWait)) {
                return new Resolution.Unavailable(
                        "the RegisterTaskDefinition rate limit had no permit within " + permitWait.toSeconds() + " s",
                        true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Resolution.Unavailable("interrupted while waiting for a RegisterTaskDefinition permit", true);
        }
        String arn;
        try {
            arn = ecs.registerTaskDefinition(derived(source, container, secrets, hash))
                    .join()
                    .taskDefinition()
                    .taskDefinitionArn();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            boolean throttled = EcsRefusals.isThrottling(cause);
            if (throttled) {
                registerBucket.throttled();
            }
            return new Resolution.Unavailable(
                    "RegisterTaskDefinition for " + source.taskDefinitionArn() + " failed: " + cause.getMessage(),
                    throttled);
        }
        Instant now = clock.instant();
        try {
            jdbc.sql("INSERT INTO bg_ecs_derived_td (content_hash, task_definition_arn, source_task_definition,"
                            + " registered_at, last_used_at) VALUES (:hash, :arn, :source, :now, :now)")
                    .param("hash", hash)
                    .param("arn", arn)
                    .param("source", source.taskDefinitionArn())
                    .param("now", toSql(now))
                    .update();
        } catch (DuplicateKeyException raced) {
            // another replica registered the same combination first: use its revision, drop ours
            String winner = stored(hash).orElseThrow(() -> raced);
            deregister(arn);
            arn = winner;
        }
        log.info("registered {} from {} with secrets for {}", arn, source.taskDefinitionArn(), secrets.keySet());
        byHash.put(hash, arn);
        return new Resolution.Ready(arn);
    }

    private RegisterTaskDefinitionRequest derived(
            TaskDefinition source, String container, Map<String, String> secrets, String hash) {
        List<ContainerDefinition> containers = new ArrayList<>();
        for (ContainerDefinition definition : source.containerDefinitions()) {
            if (!definition.name().equals(container)) {
                containers.add(definition);
                continue;
            }
            List<Secret> merged = new ArrayList<>();
            if (definition.hasSecrets()) {
                definition.secrets().stream()
                        .filter(s -> !secrets.containsKey(s.name()))
                        .forEach(merged::add);
            }
            secrets.forEach((name, valueFrom) ->
                    merged.add(Secret.builder().name(name).valueFrom(valueFrom).build()));
            containers.add(definition.toBuilder().secrets(merged).build());
        }
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder()
                .family(derivedFamily(source.family()))
                .taskRoleArn(source.taskRoleArn())
                .executionRoleArn(source.executionRoleArn())
                .networkMode(source.networkMode())
                .containerDefinitions(containers)
                .cpu(source.cpu())
                .memory(source.memory())
                .pidMode(source.pidMode())
                .ipcMode(source.ipcMode())
                .proxyConfiguration(source.proxyConfiguration())
                .ephemeralStorage(source.ephemeralStorage())
                .runtimePlatform(source.runtimePlatform())
                .enableFaultInjection(source.enableFaultInjection())
                .tags(
                        Tag.builder().key(HASH_TAG).value(hash).build(),
                        Tag.builder()
                                .key("batchgate:source")
                                .value(source.taskDefinitionArn())
                                .build());
        if (source.hasVolumes()) {
            request.volumes(source.volumes());
        }
        if (source.hasPlacementConstraints()) {
            request.placementConstraints(source.placementConstraints());
        }
        if (source.hasRequiresCompatibilities()) {
            request.requiresCompatibilitiesWithStrings(source.requiresCompatibilitiesAsStrings());
        }
        if (source.hasInferenceAccelerators()) {
            request.inferenceAccelerators(source.inferenceAccelerators());
        }
        return request.build();
    }

    static String derivedFamily(String family) {
        String base = family.length() + FAMILY_SUFFIX.length() > 255
                ? family.substring(0, 255 - FAMILY_SUFFIX.length())
                : family;
        return base + FAMILY_SUFFIX;
    }

    static String hash(String family, int revision, String container, Map<String, String> secrets) {
        StringBuilder content = new StringBuilder()
                .append(family)
                .append(':')
                .append(revision)
                .append('\n')
                .append(container)
                .append('\n');
        new TreeMap<>(secrets)
                .forEach((name, valueFrom) ->
                        content.append(name).append('=').append(valueFrom).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(content.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<String> stored(String hash) {
        return jdbc.sql("SELECT task_definition_arn FROM bg_ecs_derived_td WHERE content_hash = :hash")
                .param("hash", hash)
                .query(String.class)
                .optional();
    }

    /** Stamps the use; false if the sweeper has removed the revision meanwhile. */
    private boolean touch(String arn) {
        boolean present = jdbc.sql("UPDATE bg_ecs_derived_td SET last_used_at = :now WHERE task_definition_arn = :arn")
                        .param("now", toSql(clock.instant()))
                        .param("arn", arn)
                        .update()
                > 0;
        if (!present) {
            byHash.values().remove(arn);
            byPinnedReference.values().remove(arn);
        }
        return present;
    }

    /**
     * Deregisters revisions not used for {@code retention}. The row goes first, on the condition that
     * it is still unused, so a launch stamping it at the same time keeps it; tasks still running on a
     * deregistered revision are not affected (ECS only refuses new launches of an INACTIVE revision).
     *
     * @return how many revisions were deregistered
     */
    public int sweep(Duration retention) {
        String cutoff = toSql(clock.instant().minus(retention));
        List<String> old = jdbc.sql("SELECT task_definition_arn FROM bg_ecs_derived_td WHERE last_used_at < :cutoff")
                .param("cutoff", cutoff)
                .query(String.class)
                .list();
        int deregistered = 0;
        for (String arn : old) {
            int removed = jdbc.sql("DELETE FROM bg_ecs_derived_td WHERE task_definition_arn = :arn"
                            + " AND last_used_at < :cutoff")
                    .param("arn", arn)
                    .param("cutoff", cutoff)
                    .update();
            if (removed > 0) {
                byHash.values().remove(arn);
                byPinnedReference.values().remove(arn);
                if (deregister(arn)) {
                    deregistered++;
                }
            }
        }
        return deregistered;
    }

    private boolean deregister(String arn) {
        try {
            ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn)).join();
            return true;
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn("DeregisterTaskDefinition {} failed (left registered): {}", arn, cause.toString());
            return false;
        }
    }
}
