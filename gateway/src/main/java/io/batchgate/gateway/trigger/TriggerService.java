package io.batchgate.gateway.trigger;

import io.batchgate.catalog.BoundParams;
import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.ConcurrencyPolicy;
import io.batchgate.catalog.InvalidParamsException;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Overlap;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.queue.sqs.OutboxRelay;
import io.batchgate.runner.run.IllegalRunTransitionException;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.slots.JobSlots;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final JobSlots jobSlots;
    private final RunCanceller canceller;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RandomGenerator random;

    /** Runs that count as "still running" for overlap: every state before the end. */
    private static final Set<RunStatus> ACTIVE = EnumSet.of(
            RunStatus.QUEUED, RunStatus.LAUNCHING, RunStatus.RUNNING, RunStatus.STOPPING, RunStatus.RETRY_WAIT);

    TriggerService(
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            RunLedger ledger,
            Outbox outbox,
            OutboxRelay relay,
            JobSlots jobSlots,
            RunCanceller canceller,
            TransactionTemplate tx,
            Clock clock,
            RandomGenerator random) {
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.ledger = ledger;
        this.outbox = outbox;
        this.relay = relay;
        this.jobSlots = jobSlots;
        this.canceller = canceller;
        this.tx = tx;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A stored run, and whether this trigger created it or replayed an earlier one; {@code
     * replacing} names the runs that overlap {@code replace} must cancel once it is committed, and
     * {@code blockedBy} the active run that made an overlap {@code forbid} trigger SKIPPED.
     */
    record Accepted(Run run, boolean replayed, List<RunId> replacing, Optional<RunId> blockedBy) {

        Accepted(Run run, boolean replayed) {
            this(run, replayed, List.of(), Optional.empty());
        }
    }

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
        if (accepted.run().status() == RunStatus.SKIPPED) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "overlap-forbidden",
                    "Job is already running",
                    "Job '" + job.name() + "' does not allow overlapping runs and run "
                            + accepted.blockedBy().orElseThrow()
                            + " is still active; this trigger was recorded as skipped"
                            + " run " + accepted.run().id() + ".",
                    Map.of(
                            "runId",
                            accepted.run().id().value(),
                            "activeRunId",
                            accepted.blockedBy().orElseThrow().value()));
        }
        for (RunId older : accepted.replacing()) {
            try {
                canceller.cancel(older, "replaced by run " + accepted.run().id(), StopCause.REPLACE);
            } catch (IllegalRunTransitionException finishedMeanwhile) {
                // it ended on its own in the meantime: nothing to replace
            }
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
        ConcurrencyPolicy concurrency = job.concurrency();
        List<RunId> active = List.of();
        if (concurrency.overlap() != Overlap.ALLOW) {
            jobSlots.lock(job.name());
            active = jobSlots.runs(job.name(), ACTIVE);
            if (concurrency.overlap() == Overlap.QUEUE
                    && jobSlots.runs(job.name(), Set.of(RunStatus.QUEUED)).size() >= concurrency.maxQueued()) {
                throw new ApiProblem(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "queue-full",
                        "Job queue is full",
                        "Job '" + job.name() + "' already has " + concurrency.maxQueued()
                                + " runs waiting (maxQueued); try again later.",
                        Map.of("retryAfterSeconds", 60));
            }
        }
        Run run = Run.accept(runId, job.name(), catalogVersion, bound.values(), bound.secretNames(), caller, key, now);
        if (concurrency.overlap() == Overlap.FORBID && !active.isEmpty()) {
            run.skip("job does not allow overlapping runs; run " + active.get(0) + " is active", now);
            ledger.insert(run);
            return new Accepted(run, false, List.of(), Optional.of(active.get(0)));
        }
        ledger.insert(run);
        outbox.add(run.id(), now);
        return new Accepted(
                run, false, concurrency.overlap() == Overlap.REPLACE ? active : List.of(), Optional.empty());
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
