package io.batchgate.runner.runtime.ecs;

import io.batchgate.catalog.Backoff;
import io.batchgate.catalog.EcsTarget;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.quota.LaunchBucket;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskExitSink;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.json.JsonMapper;

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
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(10);
    /** Last statuses of a task on its way down: a stop has reached it. */
    private static final Set<String> STOPPING_STATUSES = Set.of("DEACTIVATING", "STOPPING", "DEPROVISIONING");
    /** The longest wait between two StopTask calls for a task that still reports desired RUNNING. */
    private static final Duration STOP_RETRY_MAX = Duration.ofMinutes(1);

    private final EcsAsyncClient ecs;
    private final EcsRuntimeProperties properties;
    private final LaunchBucket bucket;
    private final TaskExitSink sink;
    private final Clock clock;
    private final DerivedTaskDefinitions derived;
    private final Backoff stopRetry;
    private final EcsRequestJson wire = new EcsRequestJson(JsonMapper.builder().build());
    /** Watched tasks by ARN: the whole per-task state of the runtime. */
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    public EcsTaskRuntime(
            EcsAsyncClient ecs,
            EcsRuntimeProperties properties,
            LaunchBucket bucket,
            DerivedTaskDefinitions derived,
            TaskExitSink sink,
            Clock clock) {
        this.ecs = ecs;
        this.derived = derived;
        this.properties = properties;
        this.bucket = bucket;
        this.sink = sink;
        this.clock = clock;
        Duration base = properties.trackInterval();
        this.stopRetry = Backoff.doubling(
                base.compareTo(STOP_RETRY_MAX) < 0 ? base : STOP_RETRY_MAX, STOP_RETRY_MAX, Backoff.Jitter.NONE);
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
        String taskDefinition = launch.job().ecs().get().taskDefinition();
        if (!launch.job().secrets().isEmpty()) {
            // the secrets go into a registered revision: RunTask overrides cannot carry them
            DerivedTaskDefinitions.Resolution resolution =
                    derived.resolve(launch.job().ecs().get(), launch.job().resolvedSecrets(launch.environment()));
            if (resolution instanceof DerivedTaskDefinitions.Resolution.Unavailable unavailable) {
                return new StartResult.Refused(unavailable.reason(), unavailable.retryable());
            }
            taskDefinition = ((DerivedTaskDefinitions.Resolution.Ready) resolution).taskDefinitionArn();
        }
        EcsLaunchPlan plan = new EcsLaunchPlan(launch, launch.launchTry(), taskDefinition, wire);
        List<String> problems = plan.problems();
        if (!problems.isEmpty()) {
            return new StartResult.Refused(String.join("; ", problems), false);
        }
        try {
            if (!bucket.take(properties.permitWait())) {
                return new StartResult.Refused(
                        "the RunTask rate limit had no permit within "
                                + properties.permitWait().toSeconds() + " s",
                        true,
                        StartResult.Kind.RATE_LIMITED);
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
            // PROVISIONING: the start timeout runs until a sweep or an event sees it RUNNING
            Task task = response.tasks().get(0);
            return new StartResult.Started(new TaskHandle(NAME, task.taskArn()), "RUNNING".equals(task.lastStatus()));
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

    /**
     * Sends StopTask and keeps the stop pending: until a sweep sees the task stopping (desired status
     * STOPPED, or last status past RUNNING), StopTask is sent again with a capped backoff — a failed
     * call (throttling, a timeout, a service error) does not leave a timed-out task running and billing.
     */
    @Override
    public void stop(TaskHandle handle, String reason) {
        String arn = handle.id();
        Instant now = clock.instant();
        Watched task = watched.computeIfPresent(arn, (a, current) -> {
            int tries = current.stop() == null ? 1 : current.stop().tries() + 1;
            return current.withStop(new PendingStop(reason, tries, now.plus(stopBackoff(tries))));
        });
        boolean sent = sendStop(arn, clusterOf(arn), reason);
        if (task == null && !sent) {
            log.warn("StopTask for {} failed and the task is not watched here: nothing will send it again", arn);
        }
    }

    /**
     * ECS escalates StopTask to SIGKILL after the container's stopTimeout by itself; a task that still
     * runs after the stop grace may never have got the StopTask, so it is sent once more now.
     */
    @Override
    public void kill(TaskHandle handle) {
        Watched task = watched.get(handle.id());
        String reason = task != null && task.stop() != null ? task.stop().reason() : "batchgate: stop grace over";
        log.info("task {} still runs after the stop grace; sending StopTask again", handle);
        stop(handle, reason);
    }

    /**
     * After a restart, a task batchgate had asked to stop: watched again, with its stop pending, so the
     * next sweep sends StopTask again if ECS still reports it desired RUNNING.
     */
    @Override
    public void watchStopping(AttemptRef attempt, TaskHandle handle, String reason) {
        watch(attempt, handle);
        Instant now = clock.instant();
        watched.computeIfPresent(
                handle.id(), (arn, current) -> current.stop() != null ? current : current.stopPending(reason, now));
    }

    private boolean sendStop(String arn, String cluster, String reason) {
        String shortReason = reason.length() > 255 ? reason.substring(0, 255) : reason;
        try {
            ecs.stopTask(r -> r.cluster(cluster).task(arn).reason(shortReason)).join();
            return true;
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn(
                    "StopTask for {} failed (sent again while ECS reports it desired RUNNING): {}",
                    arn,
                    cause.toString());
            return false;
        }
    }

    /** The wait before StopTask is sent again: the tracking interval, doubled per try, at most a minute. */
    private Duration stopBackoff(int tries) {
        return stopRetry.delay(Math.max(1, tries));
    }

    @Override
    public LaunchPreview preview(TaskLaunch launch) {
        if (launch.job().ecs().isEmpty()) {
            return new LaunchPreview(
                    NAME, Map.of(), List.of("job '" + launch.job().name() + "' has no ecs target"));
        }
        EcsLaunchPlan plan = new EcsLaunchPlan(
                launch, launch.launchTry(), launch.job().ecs().get().taskDefinition(), wire);
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
        record Call(String cluster, List<String> arns, CompletableFuture<DescribeTasksResponse> response) {}
        List<Call> calls = new ArrayList<>();
        byCluster.forEach((cluster, arns) -> {
            for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
                List<String> batch = List.copyOf(arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH)));
                calls.add(new Call(cluster, batch, ecs.describeTasks(r -> r.cluster(cluster)
                        .tasks(batch))));
            }
        });
        int ended = 0;
        int failedCalls = 0;
        Instant now = clock.instant();
        // the sweep's stopped tasks are reported together: the tracker records them in few transactions
        List<TaskExitSink.Ended> ends = new ArrayList<>();
        for (Call call : calls) {
            DescribeTasksResponse response;
            try {
                response = call.response().join();
            } catch (CompletionException e) {
                failedCalls++;
                Throwable cause = e.getCause() == null ? e : e.getCause();
                log.warn("DescribeTasks failed (the next sweep tries again): {}", cause.toString());
                continue;
            }
            Set<String> answered = new HashSet<>();
            for (Task task : response.tasks()) {
                answered.add(task.taskArn());
                if ("STOPPED".equals(task.lastStatus())) {
                    Watched stopped = watched.remove(task.taskArn());
                    if (stopped != null) {
                        ends.add(new TaskExitSink.Ended(stopped.attempt(), EcsTaskEnds.of(task)));
                        ended++;
                    }
                } else {
                    seen(call.cluster(), task, now);
                    if ("RUNNING".equals(task.lastStatus())) {
                        running(task.taskArn());
                    }
                }
            }
            for (Failure failure : response.failures()) {
                answered.add(failure.arn());
                if ("MISSING".equals(failure.reason()) && missing(failure.arn(), now)) {
                    ended++;
                }
            }
            // An emulator (and possibly ECS itself) may leave an unknown task out of both lists: missing too.
            for (String arn : call.arns()) {
                if (!answered.contains(arn) && missing(arn, now)) {
                    ended++;
                }
            }
        }
        if (!ends.isEmpty()) {
            sink.exitedAll(ends);
        }
        return new SweepResult(watched.size() + ended, calls.size(), failedCalls, ended);
    }

    /**
     * A task ECS describes and that has not stopped: it is not missing, and a stop batchgate asked
     * for is done once ECS reports the task stopping; while it still reports desired RUNNING,
     * StopTask is sent again when its backoff has passed.
     */
    private void seen(String cluster, Task task, Instant now) {
        Watched current = watched.computeIfPresent(task.taskArn(), (arn, w) -> w.found());
        if (current == null || current.stop() == null) {
            return;
        }
        boolean stopping =
                "STOPPED".equals(task.desiredStatus()) || STOPPING_STATUSES.contains(String.valueOf(task.lastStatus()));
        if (stopping) {
            watched.computeIfPresent(task.taskArn(), (arn, w) -> w.stopConfirmed());
            return;
        }
        if (now.isBefore(current.stop().nextAt())) {
            return;
        }
        int tries = current.stop().tries() + 1;
        log.info(
                "task {} still desired RUNNING after {} StopTask call(s); sending StopTask again",
                task.taskArn(),
                current.stop().tries());
        sendStop(task.taskArn(), cluster, current.stop().reason());
        watched.computeIfPresent(
                task.taskArn(),
                (arn, w) -> w.stop() == null
                        ? w
                        : w.withStop(new PendingStop(w.stop().reason(), tries, now.plus(stopBackoff(tries)))));
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
        } else if ("RUNNING".equals(event.lastStatus())) {
            running(event.taskArn());
        }
    }

    /** How many tasks this runtime follows now. */
    public int watchedTasks() {
        return watched.size();
    }

    /** Reports once per watch that the task runs (the sink ignores repeats, e.g. after a restart). */
    private void running(String arn) {
        Watched before = watched.get(arn);
        if (before == null || before.reportedRunning()) {
            return;
        }
        watched.computeIfPresent(arn, (a, current) -> current.withRunningReported());
        sink.running(before.attempt());
    }

    private boolean end(String arn, TaskExit exit) {
        Watched task = watched.remove(arn);
        if (task == null) {
            return false;
        }
        sink.exited(task.attempt(), exit);
        return true;
    }

    /** A task ECS did not describe: its attempt ends as "task record lost" once it has been missing for the grace. */
    private boolean missing(String arn, Instant now) {
        Watched task = watched.computeIfPresent(arn, (a, current) -> current.missing(now));
        if (task == null || now.isBefore(task.missingSince().plus(properties.missingGrace()))) {
            return false;
        }
        return end(
                arn,
                TaskExit.recordLost("task record lost: ECS no longer describes " + arn + " (missing since "
                        + task.missingSince() + "; stopped tasks age out after about an hour); its outcome is"
                        + " unknown, so it is never retried automatically"));
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

    /** A stop batchgate asked for that ECS has not confirmed yet: StopTask calls so far, and when to send the next. */
    private record PendingStop(String reason, int tries, Instant nextAt) {}

    /**
     * One watched task: ~100 bytes of state, plus when ECS first failed to describe it and a stop not
     * yet confirmed.
     */
    private record Watched(
            AttemptRef attempt,
            String cluster,
            Instant since,
            long lastEventVersion,
            @Nullable Instant missingSince,
            @Nullable PendingStop stop,
            boolean reportedRunning) {

        Watched(AttemptRef attempt, String cluster, Instant since) {
            this(attempt, cluster, since, 0, null, null, false);
        }

        Watched withRunningReported() {
            return new Watched(attempt, cluster, since, lastEventVersion, missingSince, stop, true);
        }

        Watched withEventVersion(long version) {
            return new Watched(
                    attempt, cluster, since, Math.max(version, lastEventVersion), missingSince, stop, reportedRunning);
        }

        Watched missing(Instant now) {
            return missingSince != null
                    ? this
                    : new Watched(attempt, cluster, since, lastEventVersion, now, stop, reportedRunning);
        }

        Watched found() {
            return missingSince == null
                    ? this
                    : new Watched(attempt, cluster, since, lastEventVersion, null, stop, reportedRunning);
        }

        Watched withStop(@Nullable PendingStop pending) {
            return new Watched(attempt, cluster, since, lastEventVersion, missingSince, pending, reportedRunning);
        }

        /** A stop asked before a restart: the next sweep sends StopTask if the task still reports desired RUNNING. */
        Watched stopPending(String reason, Instant now) {
            return withStop(new PendingStop(reason, 0, now));
        }

        Watched stopConfirmed() {
            return withStop(null);
        }
    }
}
