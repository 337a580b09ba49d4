package io.batchgate.runner.admission;

import io.batchgate.catalog.BoundParams;
import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.ConcurrencyPolicy;
import io.batchgate.catalog.InvalidParamsException;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Overlap;
import io.batchgate.catalog.ParamSpec;
import io.batchgate.catalog.Runtime;
import io.batchgate.runner.admission.Admitted.Accepted;
import io.batchgate.runner.admission.Admitted.Refused;
import io.batchgate.runner.admission.Admitted.Replayed;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ExecutionKeys;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way a run comes to be, whoever asks (HTTP API, jobctl, console, schedule, job net):
 * binds the request to the catalog, checks that the runtime would accept the launch, applies the
 * idempotency and execution keys and the job's overlap policy, and stores the run, its outbox
 * row, its waiter lease and its audit record in one transaction. Accepted means committed — the
 * queue is told afterwards, and an outage there only delays the run.
 */
public class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;
    private final RunLedger ledger;
    private final Outbox outbox;
    private final OutboxWakeup wakeup;
    private final JobSlots jobSlots;
    private final ExecutionKeys executionKeys;
    private final WaiterLeases leases;
    private final AdmissionAudit audit;
    private final RunCanceller canceller;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration idempotencyRetention;

    /** @param idempotencyRetention how long an idempotency key replays its run; an older key starts a new run */
    public Admission(
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            RunLedger ledger,
            Outbox outbox,
            OutboxWakeup wakeup,
            JobSlots jobSlots,
            ExecutionKeys executionKeys,
            WaiterLeases leases,
            AdmissionAudit audit,
            RunCanceller canceller,
            TransactionTemplate tx,
            Clock clock,
            RandomGenerator random,
            Duration idempotencyRetention) {
        this.idempotencyRetention = idempotencyRetention;
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.ledger = ledger;
        this.outbox = outbox;
        this.wakeup = wakeup;
        this.jobSlots = jobSlots;
        this.executionKeys = executionKeys;
        this.leases = leases;
        this.audit = audit;
        this.canceller = canceller;
        this.tx = tx;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Stores the run, or finds the run an earlier request with the same key stored. A SKIPPED run
     * (overlap forbid) is {@link Accepted} like any other, with the run that blocked it.
     */
    public Admitted accept(AdmissionRequest request) {
        Checked checked;
        try {
            checked = check(request.job(), request.params());
        } catch (RefusedException e) {
            return new Refused(e.reason);
        }
        Admitted admitted;
        try {
            try {
                admitted = tx.execute(status -> store(checked, request));
            } catch (DuplicateKeyException raced) {
                // Another request with the same key committed first: answer with its run.
                admitted = tx.execute(status -> replay(checked, request).orElseThrow(() -> raced));
            }
        } catch (RefusedException e) {
            return new Refused(e.reason);
        }
        if (admitted instanceof Accepted accepted) {
            if (!accepted.skipped()) {
                wakeup.wake();
            }
            cancelReplaced(accepted);
        }
        return admitted;
    }

    /** What {@link #accept} would launch, without storing or queueing anything. */
    public Previewed dryRun(String job, Map<String, String> params) {
        try {
            Checked checked = check(job, params);
            return new DryRun(
                    job,
                    checked.preview().runtime(),
                    checked.bound().masked(),
                    checked.preview().request(),
                    runtimes.warnings(checked.job()));
        } catch (RefusedException e) {
            return new Refused(e.reason);
        }
    }

    /**
     * The names of a job's secret parameters, for masking before anything is hashed or logged;
     * empty if there is no such job.
     */
    public Optional<Set<String>> secretNames(String job) {
        return catalog.get().job(job).map(definition -> definition.params().values().stream()
                .filter(ParamSpec::secret)
                .map(ParamSpec::name)
                .collect(Collectors.toUnmodifiableSet()));
    }

    private void cancelReplaced(Accepted accepted) {
        for (RunId older : accepted.replaced()) {
            try {
                canceller.cancel(older, "replaced by run " + accepted.run().id(), StopCause.REPLACE);
            } catch (IllegalRunTransitionException finishedMeanwhile) {
                // it ended on its own in the meantime: nothing to replace
            } catch (RuntimeException e) {
                // the new run is committed and must be answered as such; the older one is
                // still running, and says so in its status
                log.error(
                        "run {} replaces run {}, which could not be cancelled",
                        accepted.run().id(),
                        older,
                        e);
            }
        }
    }

    private record Checked(
            RunId runId, JobDefinition job, BoundParams bound, LaunchPreview preview, String catalogVersion) {}

    /** Everything that can refuse a request before it is stored: job, runtime, params, launch limits. */
    private Checked check(String jobName, Map<String, String> raw) {
        Catalog current = catalog.get();
        JobDefinition job = current.job(jobName).orElseThrow(() -> refused(new Refusal.UnknownJob(jobName)));
        runtimes.whyNotRunnable(job).ifPresent(why -> {
            throw refused(new Refusal.NotRunnable(jobName, why));
        });
        BoundParams bound;
        try {
            bound = job.bind(raw);
        } catch (InvalidParamsException e) {
            throw refused(new Refusal.InvalidParams(jobName, e.violations()));
        }
        if (Runtime.ECS.id().equals(runtimes.runtimeNameFor(job))) {
            List<String> secretValues = bound.secretNames().stream()
                    .filter(bound.values()::containsKey)
                    .toList();
            if (!secretValues.isEmpty()) {
                throw refused(new Refusal.SecretParamsOnEcs(jobName, secretValues));
            }
        }
        RunId runId = RunId.next(clock.millis(), random);
        LaunchPreview preview = runtimes.preview(
                job,
                new TaskLaunch(
                        new AttemptRef(runId, 1), job, RunLauncher.environment(runId, job.name(), 1, bound.values())));
        if (!preview.problems().isEmpty()) {
            throw refused(new Refusal.LaunchRefused(jobName, preview.problems()));
        }
        return new Checked(runId, job, bound, preview, current.version());
    }

    private Admitted store(Checked checked, AdmissionRequest request) {
        JobDefinition job = checked.job();
        String caller = request.requester().caller();
        Optional<Replayed> earlier = replay(checked, request);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Optional<RunId> rerunOf = Optional.empty();
        Optional<RunId> pointed = Optional.empty();
        String executionKey = request.executionKey();
        if (executionKey != null) {
            jobSlots.lock(job.name());
            pointed = executionKeys.latest(caller, job.name(), executionKey);
            Optional<Run> latest = pointed.flatMap(ledger::find);
            if (latest.isPresent()) {
                Run previous = latest.get();
                if (!previous.status().isFinal() || previous.status() == RunStatus.SUCCEEDED) {
                    requireSameParams(previous, checked.bound(), Refusal.Key.EXECUTION);
                    return new Replayed(previous);
                }
                rerunOf = Optional.of(previous.id());
            }
        }
        Accepted accepted = create(checked, request, rerunOf);
        if (executionKey != null) {
            executionKeys.point(caller, job.name(), executionKey, accepted.run().id(), pointed.isPresent());
        }
        audit.admitted(request.requester(), accepted.run());
        return accepted;
    }

    private Accepted create(Checked checked, AdmissionRequest request, Optional<RunId> rerunOf) {
        JobDefinition job = checked.job();
        Instant now = clock.instant();
        ConcurrencyPolicy concurrency = job.concurrency();
        List<RunId> active = List.of();
        if (concurrency.overlap() != Overlap.ALLOW) {
            jobSlots.lock(job.name());
            active = jobSlots.runs(job.name(), RunStatus.ACTIVE);
            if (concurrency.overlap() == Overlap.QUEUE
                    && jobSlots.runs(job.name(), Set.of(RunStatus.QUEUED)).size() >= concurrency.maxQueued()) {
                throw refused(new Refusal.QueueFull(job.name(), concurrency.maxQueued()));
            }
        }
        Run run = Run.accept(
                checked.runId(),
                job.name(),
                checked.catalogVersion(),
                checked.bound().values(),
                checked.bound().secretNames(),
                request.requester().caller(),
                request.requester().source(),
                request.idempotencyKey(),
                now);
        rerunOf.ifPresent(previous -> run.rerunOf(previous, now));
        if (concurrency.overlap() == Overlap.FORBID && !active.isEmpty()) {
            run.skip("job does not allow overlapping runs; run " + active.get(0) + " is active", now);
            ledger.insert(run);
            return new Accepted(run, Optional.of(active.get(0)), rerunOf, List.of());
        }
        ledger.insert(run);
        outbox.addNew(run.id(), now);
        request.abandonAfter().ifPresent(after -> leases.open(run.id(), after, now));
        return new Accepted(
                run, Optional.empty(), rerunOf, concurrency.overlap() == Overlap.REPLACE ? active : List.of());
    }

    private Optional<Replayed> replay(Checked checked, AdmissionRequest request) {
        String key = request.idempotencyKey();
        if (key == null) {
            return Optional.empty();
        }
        Instant expired = clock.instant().minus(idempotencyRetention);
        return ledger.findByIdempotencyKey(
                        request.requester().caller(), checked.job().name(), key)
                .filter(existing -> {
                    if (existing.createdAt().isBefore(expired)) {
                        // not swept yet: the key is free once its retention has passed
                        ledger.forgetIdempotencyKey(existing.id());
                        return false;
                    }
                    return true;
                })
                .map(existing -> {
                    requireSameParams(existing, checked.bound(), Refusal.Key.IDEMPOTENCY);
                    return new Replayed(existing);
                });
    }

    private static void requireSameParams(Run existing, BoundParams bound, Refusal.Key key) {
        if (!existing.hasParams(bound.values())) {
            throw refused(new Refusal.KeyReused(key, existing.id()));
        }
    }

    private static RefusedException refused(Refusal reason) {
        return new RefusedException(reason);
    }

    /** Unwinds (and inside the transaction rolls back) to the refusal {@link #accept} returns. */
    private static final class RefusedException extends RuntimeException {

        private final Refusal reason;

        RefusedException(Refusal reason) {
            super(reason.toString(), null, false, false);
            this.reason = reason;
        }
    }
}
