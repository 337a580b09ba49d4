package io.batchgate.runner.control;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ConcurrentRunUpdateException;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.CancelOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.StopCause;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels runs: a run that has no task yet ends CANCELLED at once and never launches; a running
 * task is asked to stop through its runtime, and the run ends CANCELLED when the task has ended.
 */
public class RunCanceller {

    private static final Logger log = LoggerFactory.getLogger(RunCanceller.class);
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final RunLedger ledger;
    private final Outbox outbox;
    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;
    private final SpringBatchAttemptRecorder recorder;
    private final TransactionTemplate tx;
    private final Clock clock;

    public RunCanceller(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            SpringBatchAttemptRecorder recorder,
            TransactionTemplate tx,
            Clock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.recorder = recorder;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Cancels the run and returns it as it is now. Throws {@code IllegalRunTransitionException}
     * for a run that already finished otherwise than CANCELLED.
     */
    public Run cancel(RunId runId, String reason, StopCause cause) {
        try (var context = RunLogContext.of(runId)) {
            return cancelInContext(runId, reason, cause);
        }
    }

    private Run cancelInContext(RunId runId, String reason, StopCause cause) {
        for (int tries = 1; ; tries++) {
            try {
                return cancelOnce(runId, reason, cause);
            } catch (ConcurrentRunUpdateException e) {
                if (tries == MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private Run cancelOnce(RunId runId, String reason, StopCause cause) {
        record Cancelled(Run run, CancelOutcome outcome) {}
        Cancelled cancelled = tx.execute(status -> {
            Run run = ledger.get(runId);
            Timeouts timeouts = catalog.definition(run.job(), run.catalogVersion())
                    .map(JobDefinition::timeouts)
                    .orElse(Timeouts.defaults());
            CancelOutcome outcome = run.cancel(reason, cause, timeouts, clock.instant());
            if (outcome != CancelOutcome.ALREADY_DONE) {
                ledger.update(run);
            }
            if (outcome == CancelOutcome.CANCELLED) {
                outbox.remove(runId);
            }
            return new Cancelled(run, outcome);
        });
        Run run = cancelled.run();
        Attempt attempt = run.currentAttempt();
        switch (cancelled.outcome()) {
            case STOP_TASK ->
                runtimes.named(attempt.runtime()).ifPresent(runtime -> {
                    log.info("run {}: stopping task {} ({})", runId, attempt.handle(), reason);
                    runtime.stop(attempt.handle(), "batchgate: " + reason);
                });
            case CANCELLED -> {
                if (attempt != null && attempt.jobExecutionId() != null) {
                    recorder.closed(attempt.jobExecutionId(), attempt, run.status());
                }
            }
            default -> {
                // STOP_WHEN_LAUNCHED: the launcher stops the task it gets; ALREADY_DONE: nothing
            }
        }
        return run;
    }
}
