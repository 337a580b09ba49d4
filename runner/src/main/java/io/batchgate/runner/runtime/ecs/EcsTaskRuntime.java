package io.batchgate.runner.runtime.ecs;

import io.batchgate.catalog.EcsTarget;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.admission.LaunchBucket;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskExitSink;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Runs attempts as ECS tasks (RunTask with environment overrides) and follows them to their exit
 * code without a thread per task: every watched task sits in one map, and a sweep describes them
 * in batches of 100 per cluster (ECS's maximum), optionally ahead of it the state-change events
 * EventBridge delivers.
 */
public class EcsTaskRuntime implements TaskRuntime {

    public static final String NAME = "ecs";

    private static final Logger log = LoggerFactory.getLogger(EcsTaskRuntime.class);
    private static final int DESCRIBE_BATCH = 100;
    /** A dry run answers an HTTP caller: do not let a slow ECS hold it long. */
    private static final java.time.Duration DESCRIBE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final EcsAsyncClient ecs;
    private final EcsRuntimeProperties properties;
    private final LaunchBucket bucket;
    private final TaskExitSink sink;
    private final Clock clock;
    /** Watched tasks by ARN: the whole per-task state of the runtime. */
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    public EcsTaskRuntime(
            EcsAsyncClient ecs, EcsRuntimeProperties properties, LaunchBucket bucket, TaskExitSink sink, Clock clock) {
        this.ecs = ecs;
        this.properties = properties;
        this.bucket = bucket;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StartResult start(TaskLaunch launch) {
        if (launch.job().ecs().isEmpty()) {
            return new StartResult.Refused("job '" + launch.job().name() + "' has no ecs target", false);
        }
        EcsLaunchPlan plan = new EcsLaunchPlan(launch, launch.launchTry());
        List<String> problems = plan.problems();
        if (!problems.isEmpty()) {
            return new StartResult.Refused(String.join("; ", problems), false);
        }
        try {
            if (!bucket.take(properties.permitWait())) {
                return new StartResult.Refused(
                        "the RunTask rate limit had no permit within "
                                + properties.permitWait().toSeconds() + " s",
                        true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StartResult.Refused("interrupted while waiting for a RunTask permit", true);
        }
        RunTaskResponse response;
        try {
            response = ecs.runTask(plan.request()).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (EcsRefusals.isThrottling(cause)) {
                bucket.throttled();
            }
            return EcsRefusals.of(cause);
        }
        if (response.hasTasks() && !response.tasks().isEmpty()) {
            return new StartResult.Started(
                    new TaskHandle(NAME, response.tasks().get(0).taskArn()));
        }
        List<Failure> failures = response.hasFailures() ? response.failures() : List.of();
        return EcsRefusals.of(failures);
    }

    @Override
    public void watch(AttemptRef attempt, TaskHandle handle) {
        watched.putIfAbsent(handle.id(), new Watched(attempt, clusterOf(handle.id()), clock.instant()));
    }

    @Override
    public Optional<TaskHandle> find(TaskLaunch launch) {
        if (launch.job().ecs().isEmpty()) {
            return Optional.empty();
        }
        String cluster = launch.job().ecs().get().cluster();
        String startedBy = EcsLaunchPlan.startedBy(launch.attempt());
        // ListTasks filters by desired status (RUNNING by default): a task that already ended is STOPPED.
        for (DesiredStatus desired : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            List<String> arns = ecs.listTasks(
                            r -> r.cluster(cluster).startedBy(startedBy).desiredStatus(desired))
                    .join()
                    .taskArns();
            if (!arns.isEmpty()) {
                return Optional.of(new TaskHandle(NAME, arns.get(0)));
            }
        }
        return Optional.empty();
    }

    @Override
    public void stop(TaskHandle handle, String reason) {
        String shortReason = reason.length() > 255 ? reason.substring(0, 255) : reason;
        ecs.stopTask(r -> r.cluster(clusterOf(handle.id())).task(handle.id()).reason(shortReason))
                .join();
    }

    /** ECS escalates StopTask to SIGKILL after the container's stopTimeout by itself. */
    @Override
    public void kill(TaskHandle handle) {
        log.debug("task {} still runs after the stop grace; ECS kills it after the container's stopTimeout", handle);
    }

    @Override
    public LaunchPreview preview(TaskLaunch launch) {
        if (launch.job().ecs().isEmpty()) {
            return new LaunchPreview(
                    NAME, Map.of(), List.of("job '" + launch.job().name() + "' has no ecs target"));
        }
        EcsLaunchPlan plan = new EcsLaunchPlan(launch, launch.launchTry());
        return new LaunchPreview(NAME, Map.of("action", "RunTask", "request", plan.preview()), plan.problems());
    }

    /**
     * Reads the task definition (DescribeTaskDefinition) and warns when the container's log would be
     * incomplete: awslogs not in {@code blocking} mode (the driver's non-blocking default drops
     * lines), or no awslogs stream batchgate can read. An unreadable definition is a warning too:
     * RunTask, not the dry run, decides whether it exists.
     */
    @Override
    public List<String> warnings(JobDefinition job) {
        if (job.ecs().isEmpty()) {
            return List.of();
        }
        EcsTarget target = job.ecs().get();
        TaskDefinition definition;
        try {
            definition = ecs.describeTaskDefinition(r -> r.taskDefinition(target.taskDefinition()))
                    .orTimeout(DESCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .join()
                    .taskDefinition();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return List.of("cannot read task definition " + target.taskDefinition() + " to check its logging: "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
        String warning =
                EcsLogStreams.resolve(definition, target.container(), "preview").warning();
        return warning == null ? List.of() : List.of("task definition " + target.taskDefinition() + ": " + warning);
    }

    /**
     * One tracking cycle: DescribeTasks for every watched task, at most 100 to a call per cluster,
     * all calls in flight together. Ended tasks are reported and forgotten; a task ECS no longer
     * knows ends as "task record lost" once it has been missing for the grace period.
     */
    public SweepResult sweep() {
        Map<String, List<String>> byCluster = new HashMap<>();
        watched.forEach((arn, task) -> byCluster
                .computeIfAbsent(task.cluster(), c -> new ArrayList<>())
                .add(arn));
        List<CompletableFuture<DescribeTasksResponse>> calls = new ArrayList<>();
        byCluster.forEach((cluster, arns) -> {
            for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
                List<String> batch = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH));
                calls.add(ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)));
            }
        });
        int ended = 0;
        int failedCalls = 0;
        Instant now = clock.instant();
        for (CompletableFuture<DescribeTasksResponse> call : calls) {
            DescribeTasksResponse response;
            try {
                response = call.join();
            } catch (CompletionException e) {
                failedCalls++;
                log.warn(
                        "DescribeTasks failed (the next sweep tries again): {}",
                        // as text: SLF4J takes a last Throwable argument for the stack trace, not the {}
                        String.valueOf(e.getCause() == null ? e : e.getCause()));
                continue;
            }
            for (Task task : response.tasks()) {
                if ("STOPPED".equals(task.lastStatus()) && end(task.taskArn(), EcsTaskEnds.of(task))) {
                    ended++;
                }
            }
            for (Failure failure : response.failures()) {
                if ("MISSING".equals(failure.reason()) && missing(failure.arn(), now)) {
                    ended++;
                }
            }
        }
        return new SweepResult(watched.size() + ended, calls.size(), failedCalls, ended);
    }

    /** The outcome of one sweep: tasks looked at, DescribeTasks calls made, calls failed, tasks ended. */
    public record SweepResult(int tasks, int calls, int failedCalls, int ended) {}

    /**
     * Applies an ECS task state-change event (from EventBridge, through SQS). Events come at least
     * once and in any order: older versions than one already seen change nothing, and only a
     * STOPPED task ends an attempt.
     */
    public void onStateChange(EcsTaskEvent event) {
        Watched task = watched.get(event.taskArn());
        if (task == null) {
            return;
        }
        if (event.version() <= task.lastEventVersion()) {
            return;
        }
        watched.computeIfPresent(event.taskArn(), (arn, current) -> current.withEventVersion(event.version()));
        if ("STOPPED".equals(event.lastStatus())) {
            end(event.taskArn(), event.exit());
        }
    }

    /** How many tasks this runtime follows now. */
    public int watchedTasks() {
        return watched.size();
    }

    private boolean end(String arn, TaskExit exit) {
        Watched task = watched.remove(arn);
        if (task == null) {
            return false;
        }
        sink.exited(task.attempt(), exit);
        return true;
    }

    private boolean missing(String arn, Instant now) {
        Watched task = watched.get(arn);
        if (task == null || now.isBefore(task.since().plus(properties.missingGrace()))) {
            return false;
        }
        return end(
                arn,
                TaskExit.withoutCode("task record lost: ECS no longer describes " + arn
                        + " (stopped tasks age out after about an hour); its outcome is unknown"));
    }

    /** The cluster name in a new-format task ARN: arn:aws:ecs:region:account:task/cluster/id. */
    static String clusterOf(String taskArn) {
        int task = taskArn.indexOf(":task/");
        if (task < 0) {
            throw new IllegalArgumentException("not a new-format ECS task ARN: " + taskArn);
        }
        String rest = taskArn.substring(task + ":task/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("task ARN without a cluster name: " + taskArn);
        }
        return rest.substring(0, slash);
    }

    /** One watched task: ~100 bytes of state. */
    private record Watched(AttemptRef attempt, String cluster, Instant since, long lastEventVersion) {

        Watched(AttemptRef attempt, String cluster, Instant since) {
            this(attempt, cluster, since, 0);
        }

        Watched withEventVersion(long version) {
            return new Watched(attempt, cluster, since, Math.max(version, lastEventVersion));
        }
    }
}
