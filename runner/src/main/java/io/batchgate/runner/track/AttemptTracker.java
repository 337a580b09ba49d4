package io.batchgate.runner.track;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.ConcurrentRunUpdateException;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.TaskExitSink;
import java.time.Clock;
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

    private final RunLedger ledger;
    private final CurrentCatalog catalog;
    private final SpringBatchAttemptRecorder recorder;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AttemptTracker(
            RunLedger ledger,
            CurrentCatalog catalog,
            SpringBatchAttemptRecorder recorder,
            TransactionTemplate tx,
            Clock clock) {
        this.ledger = ledger;
        this.catalog = catalog;
        this.recorder = recorder;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void exited(AttemptRef ref, TaskExit exit) {
        for (int tries = 1; ; tries++) {
            try {
                Optional<Run> ended = tx.execute(status -> apply(ref, exit));
                if (ended != null && ended.isPresent()) {
                    Run run = ended.get();
                    Attempt attempt = run.attempts().get(ref.attempt() - 1);
                    log.info("run {} attempt {} ended: {} → {}", run.id(), ref.attempt(), exit.reason(), run.status());
                    if (attempt.jobExecutionId() != null) {
                        recorder.closed(attempt.jobExecutionId(), attempt, run.status() == RunStatus.SUCCEEDED);
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

    private Optional<Run> apply(AttemptRef ref, TaskExit exit) {
        Optional<Run> found = ledger.find(ref.runId());
        if (found.isEmpty() || !found.get().isActiveAttempt(ref.attempt())) {
            return Optional.empty();
        }
        Run run = found.get();
        if (run.status() != RunStatus.RUNNING && run.status() != RunStatus.STOPPING) {
            return Optional.empty();
        }
        ExitCodePolicy policy =
                catalog.get().job(run.job()).map(JobDefinition::exitCodes).orElse(ExitCodePolicy.defaults());
        run.finished(exit, policy, clock.instant());
        ledger.update(run);
        return Optional.of(run);
    }
}
