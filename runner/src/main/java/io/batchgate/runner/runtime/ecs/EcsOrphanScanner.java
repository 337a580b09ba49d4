package io.batchgate.runner.runtime.ecs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * Finds running ECS tasks that batchgate started (they carry its {@code batchgate:run-id} tag)
 * but that no active attempt owns — left behind by a bug, a restored database, or a hand-edited
 * ledger. They are reported in the log and a metric, and stopped only when configured to.
 *
 * <p>ListTasks filters by desired status only, and a task that ended can still read desired
 * RUNNING (seen on an emulator): a task whose last status says it is stopping or stopped is no
 * orphan, and neither is one whose attempt recorded its end.
 */
class EcsOrphanScanner {

    private static final Logger log = LoggerFactory.getLogger(EcsOrphanScanner.class);
    private static final int DESCRIBE_BATCH = 100;

    /**
     * Whether batchgate knows the task: an active attempt owns it (the run is active, this is its
     * current attempt, and its task), or the attempt it belongs to has ended with this task and
     * recorded how.
     */
    @FunctionalInterface
    public interface Owners {
        boolean owns(String runId, int attempt, String taskArn);
    }

    /** Last statuses of a task that has ended or is on its way down: never an orphan to stop. */
    static final Set<String> ENDING_STATUSES = Set.of("DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED");

    /** A task no active attempt owns. */
    public record Orphan(String taskArn, String cluster, String runId, String attempt) {}

    private final EcsAsyncClient ecs;
    private final Supplier<Set<String>> clusters;
    private final Owners owners;
    private final boolean stopOrphans;
    private final Counter found;
    private final Counter stopped;

    public EcsOrphanScanner(
            EcsAsyncClient ecs,
            Supplier<Set<String>> clusters,
            Owners owners,
            boolean stopOrphans,
            MeterRegistry meters) {
        this.ecs = ecs;
        this.clusters = clusters;
        this.owners = owners;
        this.stopOrphans = stopOrphans;
        this.found = Counter.builder("batchgate.ecs.orphans.found")
                .description("running ECS tasks tagged by batchgate that no active attempt owns")
                .register(meters);
        this.stopped = Counter.builder("batchgate.ecs.orphans.stopped")
                .description("orphaned ECS tasks stopped (batchgate.runtime.ecs.stop-orphans)")
                .register(meters);
    }

    public List<Orphan> scan() {
        List<Orphan> orphans = new ArrayList<>();
        for (String cluster : clusters.get()) {
            List<String> arns = runningTasks(cluster);
            for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
                List<String> batch = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH));
                for (Task task : ecs.describeTasks(
                                r -> r.cluster(cluster).tasks(batch).include(TaskField.TAGS))
                        .join()
                        .tasks()) {
                    Map<String, String> tags =
                            task.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
                    String runId = tags.get("batchgate:run-id");
                    String attempt = tags.getOrDefault("batchgate:attempt", "0");
                    if (runId != null
                            && !ENDING_STATUSES.contains(String.valueOf(task.lastStatus()))
                            && !owned(runId, attempt, task.taskArn())) {
                        orphans.add(new Orphan(task.taskArn(), cluster, runId, attempt));
                    }
                }
            }
        }
        for (Orphan orphan : orphans) {
            found.increment();
            log.warn(
                    "orphaned ECS task {} (run {}, attempt {}): no active attempt owns it{}",
                    orphan.taskArn(),
                    orphan.runId(),
                    orphan.attempt(),
                    stopOrphans ? "; stopping it" : "; left running");
            if (stopOrphans) {
                ecs.stopTask(r -> r.cluster(orphan.cluster())
                                .task(orphan.taskArn())
                                .reason("batchgate: orphaned task of run " + orphan.runId()))
                        .join();
                stopped.increment();
            }
        }
        return orphans;
    }

    private boolean owned(String runId, String attempt, String taskArn) {
        try {
            return owners.owns(runId, Integer.parseInt(attempt), taskArn);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private List<String> runningTasks(String cluster) {
        List<String> arns = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListTasksResponse page = ecs.listTasks(r -> r.cluster(cluster)
                            .desiredStatus(DesiredStatus.RUNNING)
                            .maxResults(100)
                            .nextToken(token))
                    .join();
            arns.addAll(page.taskArns());
            next = page.nextToken();
        } while (next != null);
        return arns;
    }
}
