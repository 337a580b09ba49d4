package io.batchgate.runner.runtime.ecs.sim;

import io.batchgate.runner.runtime.ecs.sim.SimJson.Times;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One launched task. Its timeline is fixed at launch (PROVISIONING → PENDING → RUNNING → STOPPED) and may be cut short
 * by a StopTask; the status at any instant is derived from the timeline, so no thread drives tasks. Guarded by the
 * simulator's lock.
 */
final class LaunchedTask {

    /** Task statuses batchgate can observe; the ordinal + 1 is the task's {@code version}. */
    enum Status {
        PROVISIONING,
        PENDING,
        RUNNING,
        STOPPED;

        int version() {
            return ordinal() + 1;
        }
    }

    record Transition(Status status, Instant at) {}

    static final int SIGTERM_EXIT_CODE = 143;

    final long sequence;
    final String id;
    final String arn;
    final SimTaskDefinition definition;
    final RunTaskInput request;
    final Instant createdAt;
    private final Instant pendingAt;
    /** Null when the task fails to start (SIM_STOP_REASON): it goes from PENDING straight to STOPPED. */
    private final Instant runningAt;

    private final Instant naturalStopAt;
    private final Integer naturalExitCode;
    private final String failureReason;

    private Instant stopRequestedAt;
    private Instant userStopAt;
    /** The emulator's quirk: a task that ends on its own keeps desiredStatus RUNNING. */
    boolean desiredStaysRunning;
    /** Removed from DescribeTasks and ListTasks at once, whatever its status (its record was lost). */
    boolean forgotten;

    private String userStopReason;

    LaunchedTask(
            long sequence,
            String id,
            SimTaskDefinition definition,
            RunTaskInput request,
            Instant now,
            Duration provisioning,
            Duration pending) {
        this.sequence = sequence;
        this.id = id;
        this.arn = SimArns.task(request.cluster(), id);
        this.definition = definition;
        this.request = request;
        this.createdAt = now;
        this.pendingAt = now.plus(provisioning);
        Instant startAt = pendingAt.plus(pending);
        this.naturalStopAt = startAt.plusMillis(request.envLong("SIM_RUN_MS", 0));
        String stopReason = request.env().get("SIM_STOP_REASON");
        this.failureReason = stopReason == null || stopReason.isEmpty() ? null : stopReason;
        this.runningAt = failureReason == null ? startAt : null;
        this.naturalExitCode = failureReason == null ? (int) request.envLong("SIM_EXIT_CODE", 0) : null;
    }

    String cluster() {
        return request.cluster();
    }

    Instant stoppedAt() {
        return userStopAt != null && userStopAt.isBefore(naturalStopAt) ? userStopAt : naturalStopAt;
    }

    private boolean stoppedByUser() {
        return userStopAt != null && userStopAt.isBefore(naturalStopAt);
    }

    /** Whether the container got to RUNNING before the task stopped. */
    private boolean ran() {
        return runningAt != null && !runningAt.isAfter(stoppedAt());
    }

    Status statusAt(Instant t) {
        if (!t.isBefore(stoppedAt())) {
            return Status.STOPPED;
        }
        if (ran() && !t.isBefore(runningAt)) {
            return Status.RUNNING;
        }
        return t.isBefore(pendingAt) ? Status.PROVISIONING : Status.PENDING;
    }

    boolean desiredStopped(Instant now) {
        return stopRequestedAt != null || (!desiredStaysRunning && statusAt(now) == Status.STOPPED);
    }

    /** ECS ages stopped tasks out of DescribeTasks and ListTasks (about an hour after they stop). */
    boolean forgottenAt(Instant now, Duration forgetStoppedAfter) {
        return forgotten
                || forgetStoppedAfter != null
                        && statusAt(now) == Status.STOPPED
                        && Duration.between(stoppedAt(), now).compareTo(forgetStoppedAfter) > 0;
    }

    /** StopTask: ignored once the task has stopped or a stop is already under way, as in ECS. */
    void requestStop(Instant now, Duration delay, String reason) {
        if (stopRequestedAt != null || statusAt(now) == Status.STOPPED) {
            return;
        }
        stopRequestedAt = now;
        userStopAt = now.plus(delay);
        userStopReason = reason == null ? "Task stopped by user" : reason;
    }

    Integer exitCode() {
        if (stoppedByUser()) {
            return ran() ? SIGTERM_EXIT_CODE : null;
        }
        return naturalExitCode;
    }

    String stopCode() {
        if (stopRequestedAt != null) {
            return "UserInitiated";
        }
        return failureReason != null ? "TaskFailedToStart" : "EssentialContainerExited";
    }

    String stoppedReason() {
        if (stopRequestedAt != null) {
            return userStopReason;
        }
        return failureReason != null ? failureReason : "Essential container in task exited";
    }

    /** The statuses the task passes through, in order; zero-length ones included, as ECS emits an event for each. */
    List<Transition> transitions() {
        Instant stoppedAt = stoppedAt();
        List<Transition> transitions = new ArrayList<>(4);
        transitions.add(new Transition(Status.PROVISIONING, createdAt));
        if (!pendingAt.isAfter(stoppedAt)) {
            transitions.add(new Transition(Status.PENDING, pendingAt));
        }
        if (ran()) {
            transitions.add(new Transition(Status.RUNNING, runningAt));
        }
        transitions.add(new Transition(Status.STOPPED, stoppedAt));
        return transitions;
    }

    /**
     * The Task JSON as ECS would show it at {@code asOf} in the given status (DescribeTasks uses now and the derived
     * status; events use each transition).
     */
    ObjectNode toJson(Status status, Instant asOf, boolean includeTags, Times times) {
        boolean stopped = status == Status.STOPPED;
        boolean stopRequested = stopRequestedAt != null && !stopRequestedAt.isAfter(asOf);
        ObjectNode json = SimJson.object()
                .put("taskArn", arn)
                .put("clusterArn", SimArns.cluster(cluster()))
                .put("taskDefinitionArn", definition.arn())
                .put("lastStatus", status.name())
                .put("desiredStatus", (stopped && !desiredStaysRunning) || stopRequested ? "STOPPED" : "RUNNING")
                .put("version", status.version());
        putIfPresent(json, "startedBy", request.startedBy());
        putIfPresent(json, "launchType", request.launchType());
        putIfPresent(json, "capacityProviderName", request.capacityProviderName());
        putIfPresent(json, "platformVersion", request.platformVersion());
        json.put("group", request.group() != null ? request.group() : "family:" + definition.family());
        times.put(json, "createdAt", createdAt);
        if (ran() && (status == Status.RUNNING || stopped)) {
            times.put(json, "startedAt", runningAt);
        }
        if (stopRequested) {
            times.put(json, "stoppingAt", stopRequestedAt);
        } else if (stopped) {
            times.put(json, "stoppingAt", stoppedAt());
        }
        if (stopped) {
            times.put(json, "stoppedAt", stoppedAt());
        }
        if (stopped || stopRequested) {
            json.put("stopCode", stopCode()).put("stoppedReason", stoppedReason());
        }
        ArrayNode containers = json.putArray("containers");
        for (SimTaskDefinition.Container container : definition.containers()) {
            ObjectNode c = containers
                    .addObject()
                    .put("containerArn", SimArns.container(cluster(), id, containerId(container.name())))
                    .put("taskArn", arn)
                    .put("name", container.name())
                    .put("lastStatus", status == Status.PROVISIONING ? "PENDING" : status.name());
            if (stopped && exitCode() != null) {
                c.put("exitCode", exitCode());
            }
            if (stopped && failureReason != null && !stoppedByUser()) {
                c.put("reason", failureReason);
            }
        }
        json.set("overrides", request.overrides() != null ? request.overrides() : emptyOverrides());
        if (includeTags && !request.tags().isEmpty()) {
            ArrayNode tags = json.putArray("tags");
            request.tags()
                    .forEach((key, value) -> tags.addObject().put("key", key).put("value", value));
        }
        return json;
    }

    SimTask view(Instant now) {
        Status status = statusAt(now);
        boolean stopped = status == Status.STOPPED;
        return new SimTask(
                arn,
                id,
                cluster(),
                definition.arn(),
                request.startedBy(),
                request.clientToken(),
                request.group(),
                request.env(),
                request.tags(),
                status.name(),
                desiredStopped(now) ? "STOPPED" : "RUNNING",
                stopped ? exitCode() : null,
                stopped || stopRequestedAt != null ? stopCode() : null,
                stopped || stopRequestedAt != null ? stoppedReason() : null,
                createdAt,
                stopped ? stoppedAt() : null);
    }

    /** Stable per task and container, so repeated describes show the same container ARN without storing it. */
    private String containerId(String containerName) {
        return UUID.nameUUIDFromBytes((id + "/" + containerName).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static ObjectNode emptyOverrides() {
        ObjectNode overrides = SimJson.object();
        overrides.putArray("containerOverrides");
        return overrides;
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
