package io.batchgate.gateway.trigger;

import io.batchgate.catalog.BoundParams;
import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.InvalidParamsException;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.queue.sqs.OutboxRelay;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.TaskLaunch;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts triggers: checks the job and its parameters against the catalog, then stores the run
 * and its outbox row in one transaction. Accepted means committed — the queue is told afterwards,
 * and an outage there only delays the run.
 */
class TriggerService {

    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;
    private final RunLedger ledger;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RandomGenerator random;

    TriggerService(
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            RunLedger ledger,
            Outbox outbox,
            OutboxRelay relay,
            TransactionTemplate tx,
            Clock clock,
            RandomGenerator random) {
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.ledger = ledger;
        this.outbox = outbox;
        this.relay = relay;
        this.tx = tx;
        this.clock = clock;
        this.random = random;
    }

    /** A stored run, and whether this trigger created it or replayed an earlier one. */
    record Accepted(Run run, boolean replayed) {}

    /** What a trigger would launch, without storing or queueing anything. */
    record DryRun(String job, String runtime, Map<String, String> params, LaunchPreview launch) {}

    DryRun dryRun(String jobName, Map<String, String> raw) {
        Checked checked = check(jobName, raw);
        return new DryRun(jobName, checked.preview().runtime(), checked.bound().masked(), checked.preview());
    }

    Accepted trigger(String jobName, Map<String, String> raw, String caller, @Nullable String idempotencyKey) {
        Checked checked = check(jobName, raw);
        JobDefinition job = checked.job();
        BoundParams bound = checked.bound();
        Accepted accepted;
        try {
            accepted = tx.execute(
                    status -> store(checked.runId(), job, bound, caller, idempotencyKey, checked.catalogVersion()));
        } catch (DuplicateKeyException raced) {
            // Another request with the same key committed first: answer with its run.
            accepted = tx.execute(
                    status -> replay(job, bound, caller, idempotencyKey).orElseThrow(() -> raced));
        }
        if (!accepted.replayed()) {
            relay.wake();
        }
        return accepted;
    }

    private record Checked(
            RunId runId, JobDefinition job, BoundParams bound, LaunchPreview preview, String catalogVersion) {}

    /** Everything that can refuse a trigger before it is stored: job, runtime, params, launch limits. */
    private Checked check(String jobName, Map<String, String> raw) {
        Catalog current = catalog.get();
        JobDefinition job = current.job(jobName)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "unknown-job",
                        "Unknown job",
                        "There is no job '" + printable(jobName) + "' in the catalog."));
        runtimes.whyNotRunnable(job).ifPresent(why -> {
            throw new ApiProblem(HttpStatus.CONFLICT, "job-not-runnable", "Job cannot run here", why + ".");
        });
        BoundParams bound;
        try {
            bound = job.bind(raw);
        } catch (InvalidParamsException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "invalid-params",
                    "Invalid parameters",
                    e.violations().size() == 1
                            ? e.violations().get(0).param() + ": "
                                    + e.violations().get(0).message()
                            : e.violations().size() + " parameters are invalid",
                    Map.of(
                            "errors",
                            e.violations().stream()
                                    .map(v -> Map.of("param", v.param(), "message", v.message()))
                                    .toList()));
        }
        RunId runId = RunId.next(clock.millis(), random);
        LaunchPreview preview = runtimes.preview(
                job,
                new TaskLaunch(
                        new AttemptRef(runId, 1), job, RunLauncher.environment(runId, job.name(), 1, bound.values())));
        if (!preview.problems().isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "launch-refused",
                    "Launch would be refused",
                    String.join("; ", preview.problems()) + ".");
        }
        return new Checked(runId, job, bound, preview, current.version());
    }

    private Accepted store(
            RunId runId,
            JobDefinition job,
            BoundParams bound,
            String caller,
            @Nullable String key,
            String catalogVersion) {
        if (key != null) {
            Optional<Accepted> earlier = replay(job, bound, caller, key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Instant now = clock.instant();
        Run run = Run.accept(runId, job.name(), catalogVersion, bound.values(), bound.secretNames(), caller, key, now);
        ledger.insert(run);
        outbox.add(run.id(), now);
        return new Accepted(run, false);
    }

    private Optional<Accepted> replay(JobDefinition job, BoundParams bound, String caller, @Nullable String key) {
        if (key == null) {
            return Optional.empty();
        }
        return ledger.findByIdempotencyKey(caller, job.name(), key).map(existing -> {
            if (!existing.params().equals(bound.values())) {
                throw new ApiProblem(
                        HttpStatus.CONFLICT,
                        "idempotency-key-reused",
                        "Idempotency key reused",
                        "The Idempotency-Key was already used for run " + existing.id() + " with different parameters.",
                        Map.of("runId", existing.id().value()));
            }
            return new Accepted(existing, true);
        });
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
