package io.batchgate.runner.logcontext;

import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the run a piece of work is about into the MDC, and on {@link #close} puts back what was
 * there before (a tracker pass that records several runs nests one context per run inside another):
 *
 * <pre>{@code
 * try (var context = RunLogContext.of(runId)) {
 *     ...
 *     context.with(run);   // job and attempt, once the run is loaded
 * }
 * }</pre>
 */
public final class RunLogContext implements AutoCloseable {

    public static final String RUN_ID = "runId";
    public static final String JOB = "job";
    public static final String ATTEMPT = "attempt";

    private final Map<String, @Nullable String> previous = new LinkedHashMap<>();

    private RunLogContext() {}

    public static RunLogContext of(RunId runId) {
        return new RunLogContext().put(RUN_ID, runId.value());
    }

    public static RunLogContext of(RunId runId, int attempt) {
        return of(runId).put(ATTEMPT, Integer.toString(attempt));
    }

    /** Puts nothing: for work that is about no run, where a context is expected. */
    public static RunLogContext none() {
        return new RunLogContext();
    }

    /** A job's run before it has an id (an HTTP trigger being admitted). */
    public static RunLogContext forJob(String job) {
        return new RunLogContext().put(JOB, job);
    }

    public static RunLogContext of(Run run) {
        return of(run.id()).with(run);
    }

    /** The run's job, and its current attempt if it has one. */
    public RunLogContext with(Run run) {
        put(RUN_ID, run.id().value());
        put(JOB, run.job());
        if (!run.attempts().isEmpty()) {
            put(ATTEMPT, Integer.toString(run.attempts().size()));
        }
        return this;
    }

    public RunLogContext run(RunId runId) {
        return put(RUN_ID, runId.value());
    }

    public RunLogContext job(String job) {
        return put(JOB, job);
    }

    public RunLogContext attempt(int attempt) {
        return put(ATTEMPT, Integer.toString(attempt));
    }

    private RunLogContext put(String key, String value) {
        if (!previous.containsKey(key)) {
            previous.put(key, MDC.get(key));
        }
        MDC.put(key, value);
        return this;
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
