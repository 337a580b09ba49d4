package io.batchgate.runner.launch;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Overlap;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.ConcurrentRunUpdateException;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.RetryDecisions;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import io.batchgate.runner.slots.JobSlots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns "launch run R" into exactly one started task: claims the run in the database (a duplicate
 * or redelivered message loses the claim and does nothing), starts the task through its runtime,
 * records the task handle and hands the task to the runtime to watch. Nothing waits on the task.
 */
public class RunLauncher {

    private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

    private final RunLedger ledger;
    private final Outbox outbox;
    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;
    private final SpringBatchAttemptRecorder recorder;
    private final InfraRetryPolicy infraRetries;
    private final JobSlots jobSlots;
    private final OptionalInt maxConcurrent;
    private final Duration slotRecheck;
    private final FullJitter retryJitter;
    private final LaunchMeters launchMeters;
    private final TransactionTemplate tx;
    private final Clock clock;

    RunLauncher(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            SpringBatchAttemptRecorder recorder,
            InfraRetryPolicy infraRetries,
            JobSlots jobSlots,
            OptionalInt maxConcurrent,
            Duration slotRecheck,
            FullJitter retryJitter,
            LaunchMeters launchMeters,
            TransactionTemplate tx,
            Clock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.recorder = recorder;
        this.infraRetries = infraRetries;
        this.jobSlots = jobSlots;
        this.maxConcurrent = maxConcurrent;
        this.slotRecheck = slotRecheck;
        this.retryJitter = retryJitter;
        this.launchMeters = launchMeters;
        this.tx = tx;
        this.clock = clock;
    }

    /** What a launch message came to. */
    public enum Outcome {
        /** This call claimed the run and started its task (or had it refused). */
        LAUNCHED,
        /** Nothing to do: the run is not due, another runner has it, or it waits for a slot. */
        NOTHING_TO_DO,
        /** No such run: the message can never be processed. */
        UNKNOWN_RUN
    }

    /** Launches the run if it is due (QUEUED, or RETRY_WAIT whose time has come). */
    public Outcome launch(RunId runId) {
        try (var context = RunLogContext.of(runId)) {
            return launchInContext(runId);
        }
    }

    private Outcome launchInContext(RunId runId) {
        // One transaction reads the run and claims it (there used to be a read of its own before:
        // one more transaction and three more queries for every launch).
        Optional<Claim> claim = tx.execute(status -> claim(runId, status));
        if (claim == null) {
            return Outcome.UNKNOWN_RUN;
        }
        if (claim.isEmpty()) {
            return Outcome.NOTHING_TO_DO;
        }
        Claim claimed = claim.get();
        try (var context = RunLogContext.of(claimed.run())) {
            startClaimed(claimed.run(), claimed.attempt(), claimed.job(), claimed.runtime());
        }
        return Outcome.LAUNCHED;
    }

    /** The claim, empty when there is nothing to do, or {@code null} when no such run exists. */
    private Optional<Claim> claim(RunId runId, TransactionStatus status) {
        Optional<Run> found = ledger.find(runId);
        if (found.isEmpty()) {
            return null;
        }
        Run run = found.get();
        if (!run.isDueForLaunch(clock.instant())) {
            log.debug("run {} is {} and not due: message ignored", runId, run.status());
            if (run.status().isFinal()) {
                // Only a final run's row is surely stale: for any other state the row may have just
                // been written by a transaction that committed after this one read the run (a
                // retry scheduled by the attempt's end), and deleting it would lose that retry.
                outbox.remove(runId);
            }
            return Optional.empty();
        }
        Optional<JobDefinition> job = catalog.definition(run.job(), run.catalogVersion());
        Attempt current = run.currentAttempt();
        String runtimeName = current != null && current.isActive()
                ? current.runtime()
                : job.map(runtimes::runtimeNameFor).orElse("none");
        Optional<String> notRunnable = job.isEmpty()
                ? Optional.of("job '" + run.job() + "' is no longer in the catalog")
                : runtimes.whyNotRunnable(job.get());
        if (notRunnable.isEmpty() && !slotFree(run, job.get())) {
            // no slot: keep the outbox row and look again shortly (a run that ends wakes the next)
            Instant now = clock.instant();
            outbox.add(runId, now, now.plus(slotRecheck));
            return Optional.empty();
        }
        Attempt attempt =
                run.claim(runtimeName, job.map(JobDefinition::timeouts).orElse(Timeouts.defaults()), clock.instant());
        if (notRunnable.isPresent()) {
            run.launchFailed(notRunnable.get(), clock.instant());
        } else {
            // Its attempt's Spring Batch execution is opened in the claim's transaction (one commit
            // instead of four, and no attempt is claimed without one), before the claim's update so
            // that the attempt's row is written with it (no second UPDATE).
            boolean firstClaim = run.attempts().size() == 1 && attempt.launchTries() == 1;
            long executionId;
            try {
                executionId = firstClaim ? recorder.openedOnFirstClaim(run, attempt) : recorder.opened(run, attempt);
            } catch (DuplicateKeyException e) {
                // a concurrent claim of the same run created its job instance first: it has the claim
                log.debug("lost the claim for run {}: {}", runId, e.getMessage());
                status.setRollbackOnly();
                return Optional.empty();
            }
            run.recordExecution(executionId);
        }
        try {
            ledger.update(run);
        } catch (ConcurrentRunUpdateException e) {
            log.debug("lost the claim for run {}: {}", runId, e.getMessage());
            status.setRollbackOnly(); // the execution opened above goes with it
            return Optional.empty();
        }
        outbox.remove(runId);
        if (notRunnable.isPresent()) {
            log.warn("run {} failed before launch: {}", runId, notRunnable.get());
            return Optional.empty();
        }
        TaskRuntime runtime = runtimes.named(runtimeName).orElseThrow();
        return Optional.of(new Claim(run, attempt, job.get(), runtime));
    }

    /**
     * Whether the job's concurrency limits leave a slot for this run, counted under the job's row
     * lock (and the global one) so that the limits hold across replicas. Overlap {@code queue}
     * also keeps the job's queued runs in order: only the oldest may go.
     */
    private boolean slotFree(Run run, JobDefinition job) {
        OptionalInt slots = job.concurrency().slots();
        if (slots.isEmpty() && maxConcurrent.isEmpty()) {
            return true;
        }
        jobSlots.lock(job.name());
        if (maxConcurrent.isPresent()) {
            jobSlots.lock(JobSlots.GLOBAL);
        }
        if (slots.isPresent()) {
            if (jobSlots.runs(job.name(), RunStatus.HOLDING).size() >= slots.getAsInt()) {
                return false;
            }
            if (job.concurrency().overlap() == Overlap.QUEUE
                    && run.status() == RunStatus.QUEUED
                    && jobSlots.oldestQueued(job.name())
                            .filter(oldest -> !oldest.equals(run.id()))
                            .isPresent()) {
                return false;
            }
        }
        return maxConcurrent.isEmpty() || jobSlots.holdingAll() < maxConcurrent.getAsInt();
    }

    /**
     * Starts the task of a claimed attempt and records the outcome. Also used by recovery for an
     * attempt whose runner died after the claim but before the task was started.
     */
    void startClaimed(Run run, Attempt attempt, JobDefinition job, TaskRuntime runtime) {
        AttemptRef ref = new AttemptRef(run.id(), attempt.number());
        // One Spring Batch execution per attempt, however many launch tries it takes. The claim
        // opens it; an attempt claimed by an older runner may still have none.
        long executionId = attempt.jobExecutionId() != null ? attempt.jobExecutionId() : recorder.opened(run, attempt);
        StartResult result = runtime.start(launchOf(run, attempt, job));
        launchMeters.record(runtime.name(), result);
        Run updated = tx.execute(status -> {
            // The claimed run as it was stored (no reload: three SELECTs); if it changed since (a
            // cancel), the version check fails and the outcome is recorded on the stored one.
            try {
                return record(run, executionId, result, job);
            } catch (ConcurrentRunUpdateException changed) {
                log.debug("run {} changed while its task started; recording on the stored run", run.id());
                return record(ledger.get(run.id()), executionId, result, job);
            }
        });
        if (result instanceof StartResult.Started started) {
            log.info("run {} attempt {} started: {}", run.id(), attempt.number(), started.handle());
            runtime.watch(ref, started.handle());
            if (updated.isStopping()) {
                runtime.stop(started.handle(), "batchgate: stopped while it was launching");
            }
        } else if (result instanceof StartResult.Refused refused) {
            log.warn(
                    "run {} attempt {} try {} refused by {}: {} → {}",
                    run.id(),
                    attempt.number(),
                    attempt.launchTries(),
                    runtime.name(),
                    refused,
                    updated.status());
            if (updated.status().isFinal()) {
                recorder.closed(executionId, updated.currentAttempt(), updated.status());
            }
        }
    }

    /** Records the start's outcome on {@code current} and stores it (under its version). */
    private Run record(Run current, long executionId, StartResult result, JobDefinition job) {
        current.recordExecution(executionId);
        Instant now = clock.instant();
        Optional<Instant> deferredTo = Optional.empty();
        if (result instanceof StartResult.Started started) {
            current.started(started.handle(), job.timeouts(), started.running(), now);
        } else if (result instanceof StartResult.Refused refused) {
            // used only if the start timeout passed during this try: its retry rules decide
            RetryDecisions decisions = new RetryDecisions(
                    job.exitCodes(), job.retry(), retryJitter.of(job.retry().backoff()));
            Optional<Instant> retryAt =
                    refused.retryable() ? infraRetries.nextTry(current.currentAttempt(), now) : Optional.empty();
            if (retryAt.isPresent()) {
                current.launchDeferred(refused.reason(), retryAt.get(), decisions, now);
            } else if (refused.retryable()) {
                current.launchFailed(
                        "gave up after " + current.currentAttempt().launchTries() + " launch tries (budget: "
                                + infraRetries.budget() + "); last: " + refused.reason(),
                        decisions,
                        now);
            } else {
                current.launchFailed(refused.reason(), decisions, now);
            }
            if (current.status() == RunStatus.RETRY_WAIT && current.nextAttemptAt() != null) {
                // the next try of this attempt, or the next attempt a start-timeout rule opened
                deferredTo = Optional.of(current.nextAttemptAt());
            }
        }
        ledger.update(current);
        deferredTo.ifPresent(at -> outbox.add(current.id(), now, at));
        return current;
    }

    private TaskLaunch launchOf(Run run, Attempt attempt, JobDefinition job) {
        return new TaskLaunch(
                new AttemptRef(run.id(), attempt.number()), attempt.launchTries(), job, environment(run, attempt));
    }

    /**
     * Takes back an attempt left active by a runner that stopped: watches its task again, or finds
     * the task of an attempt caught mid-launch, or starts it if it never started.
     */
    public void resume(Run run, AttemptRef ref) {
        try (var context = RunLogContext.of(run).attempt(ref.attempt())) {
            resumeInContext(run, ref);
        }
    }

    private void resumeInContext(Run run, AttemptRef ref) {
        Attempt attempt = run.attempts().get(ref.attempt() - 1);
        Optional<TaskRuntime> runtime = runtimes.named(attempt.runtime());
        if (runtime.isEmpty()) {
            log.error(
                    "run {} attempt {} ran on runtime '{}', which this runner does not have; left as it is",
                    run.id(),
                    ref.attempt(),
                    attempt.runtime());
            return;
        }
        if (attempt.handle() != null) {
            if (run.isStopping()) {
                runtime.get().watchStopping(ref, attempt.handle(), "batchgate: " + stopReason(run));
            } else {
                runtime.get().watch(ref, attempt.handle());
            }
            return;
        }
        Optional<JobDefinition> job = catalog.definition(run.job(), run.catalogVersion());
        Optional<TaskHandle> found = job.flatMap(definition -> runtime.get().find(launchOf(run, attempt, definition)));
        if (found.isPresent()) {
            Run current = tx.execute(status -> {
                Run loaded = ledger.get(run.id());
                loaded.started(
                        found.get(), job.map(JobDefinition::timeouts).orElse(Timeouts.defaults()), clock.instant());
                ledger.update(loaded);
                return loaded;
            });
            log.info("run {} attempt {}: found its task {} after a restart", run.id(), ref.attempt(), found.get());
            runtime.get().watch(ref, found.get());
            if (current.isStopping()) {
                runtime.get().stop(found.get(), "batchgate: stopped while it was launching");
            }
            return;
        }
        if (run.isStopping()) {
            // cancelled or timed out while launching, and its task never started: end it without one
            tx.executeWithoutResult(status -> {
                Run current = ledger.get(run.id());
                current.launchFailed("stopped before its task started", clock.instant());
                ledger.update(current);
            });
            return;
        }
        if (job.isEmpty()) {
            tx.executeWithoutResult(status -> {
                Run current = ledger.get(run.id());
                current.launchFailed("job '" + run.job() + "' is no longer in the catalog", clock.instant());
                ledger.update(current);
            });
            return;
        }
        log.info("run {} attempt {}: its task never started before the restart; starting it", run.id(), ref.attempt());
        startClaimed(run, attempt, job.get(), runtime.get());
    }

    /** Why the run is stopping: the reason it went STOPPING with. */
    private static String stopReason(Run run) {
        for (int i = run.timeline().size() - 1; i >= 0; i--) {
            var entry = run.timeline().get(i);
            if (entry.to() == RunStatus.STOPPING && entry.from() != RunStatus.STOPPING) {
                return entry.reason();
            }
        }
        return "stopping";
    }

    /** The only place a stored secret value is opened for a task: every attempt, retries too. */
    private Map<String, String> environment(Run run, Attempt attempt) {
        return environment(run.id(), run.job(), attempt.number(), ledger.launchParams(run));
    }

    /** The task's environment: the caller's params plus batchgate's own variables (which win). */
    public static Map<String, String> environment(RunId runId, String job, int attempt, Map<String, String> params) {
        Map<String, String> env = new LinkedHashMap<>(params);
        env.put("BATCHGATE_RUN_ID", runId.value());
        env.put("BATCHGATE_JOB", job);
        env.put("BATCHGATE_ATTEMPT", Integer.toString(attempt));
        return env;
    }

    private record Claim(Run run, Attempt attempt, JobDefinition job, TaskRuntime runtime) {}
}
