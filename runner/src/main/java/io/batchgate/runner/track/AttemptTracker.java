package io.batchgate.runner.track;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.RetryPolicy;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.ledger.ConcurrentRunUpdateException;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.TaskExitSink;
import io.batchgate.runner.slots.JobSlots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what runtimes report about ended tasks to the runs: the job's exit-code policy judges
 * the code, the run becomes final, and the attempt's Spring Batch execution is closed. Reports are
 * idempotent: an end reported twice, or for an attempt that is no longer current, changes nothing.
 */
public class AttemptTracker implements TaskExitSink {

    private static final Logger log = LoggerFactory.getLogger(AttemptTracker.class);
    private static final int MAX_CONFLICT_RETRIES = 5;
    static final int ENDS_PER_TRANSACTION = 50;

    private final RunLedger ledger;
    private final Outbox outbox;
    private final CurrentCatalog catalog;
    private final SpringBatchAttemptRecorder recorder;
    private final FullJitter jitter;
    private final JobSlots jobSlots;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AttemptTracker(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            SpringBatchAttemptRecorder recorder,
            FullJitter jitter,
            JobSlots jobSlots,
            TransactionTemplate tx,
            Clock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.catalog = catalog;
        this.recorder = recorder;
        this.jitter = jitter;
        this.jobSlots = jobSlots;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void exited(AttemptRef ref, TaskExit exit) {
        try (var context = RunLogContext.of(ref.runId(), ref.attempt())) {
            exitedInContext(ref, exit);
        }
    }

    private void exitedInContext(AttemptRef ref, TaskExit exit) {
        for (int tries = 1; ; tries++) {
            try {
                Optional<Run> ended = tx.execute(status -> apply(ref, exit));
                if (ended != null && ended.isPresent()) {
                    Run run = ended.get();
                    try (var context = RunLogContext.of(run)) {
                        log.info(
                                "run {} attempt {} ended: {} → {}",
                                run.id(),
                                ref.attempt(),
                                exit.reason(),
                                run.status());
                    }
                }
                return;
            } catch (ConcurrentRunUpdateException e) {
                if (tries == MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Records up to {@value #ENDS_PER_TRANSACTION} ends per transaction, their runs loaded together
     * (three SELECTs for all of them): one commit where there were as many as ends. A chunk that
     * fails (a run changed meanwhile by a cancel, say) is rolled back and its ends recorded one by
     * one, exactly as {@link #exited} records them.
     */
    @Override
    public void exitedAll(List<Ended> ends) {
        List<Ended> ordered = new ArrayList<>(ends);
        // in run id order: two transactions that end overlapping runs lock them in the same order
        ordered.sort(Comparator.comparing(ended -> ended.attempt().runId().value()));
        for (int from = 0; from < ordered.size(); from += ENDS_PER_TRANSACTION) {
            List<Ended> chunk = ordered.subList(from, Math.min(ordered.size(), from + ENDS_PER_TRANSACTION));
            if (chunk.size() == 1
                    || chunk.stream().map(e -> e.attempt().runId()).distinct().count() < chunk.size()) {
                chunk.forEach(ended -> exited(ended.attempt(), ended.exit()));
                continue;
            }
            List<Run> recorded;
            try {
                recorded = tx.execute(status -> {
                    Map<RunId, Run> runs = new HashMap<>();
                    ledger.findAll(chunk.stream().map(e -> e.attempt().runId()).toList())
                            .forEach(run -> runs.put(run.id(), run));
                    List<Run> changed = new ArrayList<>();
                    for (Ended ended : chunk) {
                        apply(
                                        ended.attempt(),
                                        ended.exit(),
                                        Optional.ofNullable(
                                                runs.get(ended.attempt().runId())))
                                .ifPresent(changed::add);
                    }
                    return changed;
                });
            } catch (RuntimeException e) {
                log.debug(
                        "recording {} ends together failed ({}); recording them one by one",
                        chunk.size(),
                        e.toString());
                chunk.forEach(ended -> exited(ended.attempt(), ended.exit()));
                continue;
            }
            for (Run run : recorded) {
                try (var context = RunLogContext.of(run)) {
                    log.info(
                            "run {} attempt {} ended: {}",
                            run.id(),
                            run.attempts().size(),
                            run.status());
                }
            }
        }
    }

    /** A task started as not yet running runs now: the start timeout is met, the run timeout starts. */
    @Override
    public void running(AttemptRef ref) {
        try (var context = RunLogContext.of(ref.runId(), ref.attempt())) {
            runningInContext(ref);
        }
    }

    private void runningInContext(AttemptRef ref) {
        for (int tries = 1; ; tries++) {
            try {
                Boolean recorded = tx.execute(status -> {
                    Optional<Run> found = ledger.find(ref.runId());
                    if (found.isEmpty() || !found.get().isActiveAttempt(ref.attempt())) {
                        return false;
                    }
                    Run run = found.get();
                    Timeouts timeouts = catalog.definition(run.job(), run.catalogVersion())
                            .map(JobDefinition::timeouts)
                            .orElse(Timeouts.defaults());
                    if (!run.taskRunning(timeouts, clock.instant())) {
                        return false;
                    }
                    ledger.update(run);
                    return true;
                });
                if (Boolean.TRUE.equals(recorded)) {
                    log.debug("run {} attempt {}: its task runs", ref.runId(), ref.attempt());
                }
                return;
            } catch (ConcurrentRunUpdateException e) {
                if (tries == MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * When the task ended: the runtime's time where it knows one (a process taken back after a
     * restart ended before the take-over), kept between the attempt's start and now.
     */
    private static Instant endedAt(TaskExit exit, Run run, Instant now) {
        Instant ended = exit.endedAt();
        if (ended == null || ended.isAfter(now)) {
            return now;
        }
        Attempt current = run.attempts().get(run.attempts().size() - 1);
        Instant began = current.startedAt() != null ? current.startedAt() : current.launchedAt();
        return ended.isBefore(began) ? began : ended;
    }

    private Optional<Run> apply(AttemptRef ref, TaskExit exit) {
        return apply(ref, exit, ledger.find(ref.runId()));
    }

    private Optional<Run> apply(AttemptRef ref, TaskExit exit, Optional<Run> found) {
        if (found.isEmpty() || !found.get().isActiveAttempt(ref.attempt())) {
            return Optional.empty();
        }
        // the judgment's log lines (and the events it publishes) name the run
        try (var context = RunLogContext.of(found.get()).attempt(ref.attempt())) {
            return judge(ref, exit, found.get());
        }
    }

    private Optional<Run> judge(AttemptRef ref, TaskExit exit, Run run) {
        if (run.status() != RunStatus.RUNNING && run.status() != RunStatus.STOPPING) {
            // LAUNCHING: the end of a task whose start is not recorded yet arrives again after it is
            return Optional.empty();
        }
        Optional<JobDefinition> job = catalog.definition(run.job(), run.catalogVersion());
        ExitCodePolicy policy = job.map(JobDefinition::exitCodes).orElse(ExitCodePolicy.defaults());
        RetryPolicy retry = job.map(JobDefinition::retry).orElse(RetryPolicy.none());
        Instant now = clock.instant();
        run.finished(exit, policy, retry, jitter.of(retry.backoff()), endedAt(exit, run, now));
        ledger.update(run);
        Attempt attempt = run.attempts().get(ref.attempt() - 1);
        if (attempt.jobExecutionId() != null) {
            // in the same transaction: the attempt's end and its Spring Batch execution's end commit together
            recorder.closed(attempt.jobExecutionId(), attempt, run.status());
        }
        if (run.status() == RunStatus.RETRY_WAIT && run.nextAttemptAt() != null) {
            // the next attempt is launched through the outbox, on time even across restarts
            outbox.add(run.id(), now, run.nextAttemptAt());
        }
        if (job.isPresent() && job.get().concurrency().slots().isPresent()) {
            // a slot is free: the job's oldest queued run need not wait for its next look
            jobSlots.oldestQueued(run.job()).ifPresent(next -> outbox.add(next, now, now));
        }
        return Optional.of(run);
    }
}
