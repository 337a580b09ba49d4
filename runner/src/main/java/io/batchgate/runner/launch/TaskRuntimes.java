package io.batchgate.runner.launch;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The runtimes this deployment has and which one a job runs on: the job's own {@code runtime}
 * if the catalog sets one, else the deployment's default.
 */
public class TaskRuntimes {

    private final Map<String, TaskRuntime> byName;
    private final String defaultRuntime;

    public TaskRuntimes(Collection<TaskRuntime> runtimes, String defaultRuntime) {
        this.byName = runtimes.stream().collect(Collectors.toUnmodifiableMap(TaskRuntime::name, Function.identity()));
        if (!byName.containsKey(defaultRuntime)) {
            throw new IllegalStateException(
                    "the default runtime '" + defaultRuntime + "' is not configured (have " + byName.keySet() + ")");
        }
        this.defaultRuntime = defaultRuntime;
    }

    /** The runtime name a job runs on, whether or not this deployment has it. */
    public String runtimeNameFor(JobDefinition job) {
        return job.runtime().map(runtime -> runtime.name().toLowerCase()).orElse(defaultRuntime);
    }

    public Optional<TaskRuntime> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * What the job's runtime would send to launch it, and what would make it refuse: checked
     * before a trigger is accepted, shown by dry runs.
     */
    public LaunchPreview preview(JobDefinition job, TaskLaunch launch) {
        return named(runtimeNameFor(job))
                .map(runtime -> runtime.preview(launch))
                .orElseGet(() -> new LaunchPreview(
                        runtimeNameFor(job),
                        Map.of(),
                        whyNotRunnable(job).stream().toList()));
    }

    /** What the job's runtime warns about it (dry runs only: it may call the runtime's service). */
    public List<String> warnings(JobDefinition job) {
        return named(runtimeNameFor(job)).map(runtime -> runtime.warnings(job)).orElse(List.of());
    }

    /**
     * Why the job cannot run here, if it cannot: its runtime is not configured, or the job has no
     * target for it. Checked at trigger time so such a run is never accepted.
     */
    public Optional<String> whyNotRunnable(JobDefinition job) {
        String runtime = runtimeNameFor(job);
        if (!byName.containsKey(runtime)) {
            return Optional.of("job '" + job.name() + "' runs on runtime '" + runtime
                    + "', which this deployment does not have (it has " + byName.keySet() + ")");
        }
        boolean hasTarget =
                runtime.equals("local") ? job.local().isPresent() : job.ecs().isPresent();
        if (!hasTarget) {
            return Optional.of("job '" + job.name() + "' has no '" + runtime + "' target, and this deployment runs"
                    + " jobs on runtime '" + runtime + "'");
        }
        return Optional.empty();
    }
}
