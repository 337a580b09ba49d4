package io.batchgate.gateway.trigger;

import io.batchgate.catalog.BoundParams;
import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.ConcurrencyPolicy;
import io.batchgate.catalog.InvalidParamsException;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Overlap;
import io.batchgate.gateway.audit.AuditRecord;
import io.batchgate.gateway.audit.AuditTrail;
import io.batchgate.gateway.audit.ParamsDigest;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ExecutionKeys;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TriggerService.class);

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
    private final ExecutionKeys executionKeys;
    private final WaiterLeases leases;
    private final AuditTrail audit;

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
            RandomGenerator random,
            ExecutionKeys executionKeys,
            WaiterLeases leases,
            AuditTrail audit) {
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
        this.executionKeys = executionKeys;
        this.leases = leases;
        this.audit = audit;
    }

    /**
     * A stored run, and whether this trigger created it or replayed an earlier one; {@code
     * replacing} names the runs that overlap {@code replace} must cancel once it is committed, and
     * {@code blockedBy} the active run that made an overlap {@code forbid} trigger SKIPPED.
     */
    record Accepted(
            Run run, boolean replayed, List<RunId> replacing, Optional<RunId> blockedBy, Optional<RunId> rerunOf) {

        Accepted(Run run, boolean replayed) {
            this(run, replayed, List.of(), Optional.empty(), Optional.empty());
        }

        /** The same acceptance, with the run as it is now. */
        Accepted with(Run now) {
            return new Accepted(now, replayed, replacing, blockedBy, rerunOf);
        }
    }

    /**
     * Who triggers and how: the caller, where the call came from (for the audit record written with
     * the run), the keys that make sending it again safe, and the cancel-on-abandon lease.
     */
    record TriggerContext(
            String caller,
            String source,
            String target,
            @Nullable String idempotencyKey,
            @Nullable String executionKey,
            Optional<java.time.Duration> abandonAfter) {}

    /** What a trigger would launch, without storing or queueing anything. */
    record DryRun(
            String job, String runtime, Map<String, String> params, LaunchPreview launch, List<String> warnings) {}

    /** Also asks the runtime for warnings (such as a log that will be incomplete), which triggers skip. */
    DryRun dryRun(String jobName, Map<String, String> raw) {
        Checked checked = check(jobName, raw);
        return new DryRun(
                jobName,
                checked.preview().runtime(),
                checked.bound().masked(),
                checked.preview(),
                runtimes.warnings(checked.job()));
    }

    /**
     * Stores the run, or finds the run an earlier identical call stored. A SKIPPED run (overlap
     * forbid) is returned like any other: the caller decides how to answer it.
     */
    Accepted trigger(String jobName, Map<String, String> raw, TriggerContext context) {
        Checked checked = check(jobName, raw);
        JobDefinition job = checked.job();
        BoundParams bound = checked.bound();
        Accepted accepted;
        try {
            accepted = tx.execute(status -> store(checked, context));
        } catch (DuplicateKeyException raced) {
            // Another request with the same key committed first: answer with its run.
            accepted = tx.execute(status -> replay(job, bound, context.caller(), context.idempotencyKey())
                    .orElseThrow(() -> raced));
        }
        if (!accepted.replayed()) {
            relay.wake();
        }
        for (RunId older : accepted.replacing()) {
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

    private Accepted store(Checked checked, TriggerContext context) {
        JobDefinition job = checked.job();
        BoundParams bound = checked.bound();
        String caller = context.caller();
        String key = context.idempotencyKey();
        if (key != null) {
            Optional<Accepted> earlier = replay(job, bound, caller, key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Optional<RunId> rerunOf = Optional.empty();
        Optional<RunId> pointed = Optional.empty();
        if (context.executionKey() != null) {
            jobSlots.lock(job.name());
            pointed = executionKeys.latest(caller, job.name(), context.executionKey());
            Optional<Run> latest = pointed.flatMap(ledger::find);
            if (latest.isPresent()) {
                Run previous = latest.get();
                if (!previous.status().isFinal() || previous.status() == RunStatus.SUCCEEDED) {
                    requireSameParams(previous, bound, "Execution-Key");
                    return new Accepted(previous, true);
                }
                rerunOf = Optional.of(previous.id());
            }
        }
        Accepted accepted = create(checked, context, rerunOf);
        if (context.executionKey() != null) {
            executionKeys.point(
                    caller, job.name(), context.executionKey(), accepted.run().id(), pointed.isPresent());
        }
        audit.append(new AuditRecord(
                0,
                clock.instant(),
                caller,
                context.source(),
                "TRIGGER",
                context.target(),
                job.name(),
                accepted.run().id().value(),
                accepted.run().status() == RunStatus.SKIPPED ? 409 : 202,
                accepted.run().status() == RunStatus.SKIPPED ? "overlap-forbidden" : "accepted",
                paramsDigest(accepted.run())));
        return accepted;
    }

    private Accepted create(Checked checked, TriggerContext context, Optional<RunId> rerunOf) {
        JobDefinition job = checked.job();
        BoundParams bound = checked.bound();
        RunId runId = checked.runId();
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
        Run run = Run.accept(
                runId,
                job.name(),
                checked.catalogVersion(),
                bound.values(),
                bound.secretNames(),
                context.caller(),
                context.idempotencyKey(),
                now);
        rerunOf.ifPresent(previous -> run.rerunOf(previous, now));
        if (concurrency.overlap() == Overlap.FORBID && !active.isEmpty()) {
            run.skip("job does not allow overlapping runs; run " + active.get(0) + " is active", now);
            ledger.insert(run);
            return new Accepted(run, false, List.of(), Optional.of(active.get(0)), rerunOf);
        }
        ledger.insert(run);
        outbox.add(run.id(), now);
        context.abandonAfter().ifPresent(after -> leases.open(run.id(), after, now));
        return new Accepted(
                run, false, concurrency.overlap() == Overlap.REPLACE ? active : List.of(), Optional.empty(), rerunOf);
    }

    private Optional<Accepted> replay(JobDefinition job, BoundParams bound, String caller, @Nullable String key) {
        if (key == null) {
            return Optional.empty();
        }
        return ledger.findByIdempotencyKey(caller, job.name(), key).map(existing -> {
            requireSameParams(existing, bound, "Idempotency-Key");
            return new Accepted(existing, true);
        });
    }

    private static void requireSameParams(Run existing, BoundParams bound, String header) {
        if (!existing.hasParams(bound.values())) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "idempotency-key-reused",
                    "Idempotency key reused",
                    "The " + header + " was already used for run " + existing.id() + " with different parameters.",
                    Map.of("runId", existing.id().value()));
        }
    }

    /**
     * The audit digest of a stored run's parameters: over the values as bound (a JP1 date and its
     * ISO form are one trigger), with secrets masked.
     */
    static String paramsDigest(Run run) {
        return ParamsDigest.of(run.params(), run.secretParams());
    }

    /** The names of a job's secret parameters, for masking before anything is hashed or logged. */
    Optional<java.util.Set<String>> secretNames(String jobName) {
        return catalog.get().job(jobName).map(job -> job.params().values().stream()
                .filter(spec -> spec.secret())
                .map(spec -> spec.name())
                .collect(java.util.stream.Collectors.toSet()));
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
