package io.batchgate.runner.admission;

import io.batchgate.runner.run.RunSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request to run a job, whatever way it came in: the job's parameters as raw strings (bound
 * and checked against the catalog by admission), who asks and how, the keys that make sending it
 * again safe, and after how long without a waiter the run counts as abandoned.
 *
 * @param idempotencyKey the same key (per caller and job) with the same parameters replays the run
 * @param executionKey a scheduler's execution (JP1 AJSEXECID): the run while it is active or
 *     succeeded, a re-run after it ended otherwise
 */
public record AdmissionRequest(
        String job,
        Map<String, String> params,
        Requester requester,
        @Nullable String idempotencyKey,
        @Nullable String executionKey,
        Optional<Duration> abandonAfter) {

    public AdmissionRequest {
        Objects.requireNonNull(job, "job");
        params = Map.copyOf(params);
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(abandonAfter, "abandonAfter");
    }

    /** Param names only: a value may be secret, and this request ends up in logs and exception messages. */
    @Override
    public String toString() {
        return "AdmissionRequest[job=" + job + ", params=" + new java.util.TreeSet<>(params.keySet()) + ", requester="
                + requester + ", idempotencyKey=" + idempotencyKey + ", executionKey=" + executionKey
                + ", abandonAfter=" + abandonAfter + "]";
    }

    /** A request without keys or lease. */
    public static AdmissionRequest of(String job, Map<String, String> params, Requester requester) {
        return new AdmissionRequest(job, params, requester, null, null, Optional.empty());
    }

    public AdmissionRequest withIdempotencyKey(@Nullable String key) {
        return new AdmissionRequest(job, params, requester, key, executionKey, abandonAfter);
    }

    public AdmissionRequest withExecutionKey(@Nullable String key) {
        return new AdmissionRequest(job, params, requester, idempotencyKey, key, abandonAfter);
    }

    /**
     * Who asks ({@code caller}, the run's {@code requestedBy}) and how ({@code source}); {@code
     * from} and {@code target} say where the request came from and what it addressed, for the
     * audit trail (for HTTP: the client's address and {@code POST /api/v1/jobs/…/runs}).
     */
    public record Requester(String caller, RunSource source, String from, String target) {

        public Requester {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(target, "target");
        }
    }
}
