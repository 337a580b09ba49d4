package io.batchgate.runner.control;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.RetryPolicy;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ConcurrentRunUpdateException;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.DeadlineAction;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enforces timeouts — ECS has none of its own. Each tick reads the runs whose stored deadline has
 * passed (one indexed query, whatever the number of running tasks) and lets each run decide:
 * stop a task that ran too long, kill one that outlived its stop grace, or time out an attempt
 * that never got a task. Several replicas may sweep at once; the ledger's optimistic update lets
 * one of them act.
 */
class DeadlineSweeper {

    private static final Logger log = LoggerFactory.getLogger(DeadlineSweeper.class);
    private static final int BATCH = 200;

    private final RunLedger ledger;
    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Outbox outbox;
    private final FullJitter jitter;

    public DeadlineSweeper(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            FullJitter jitter,
            TransactionTemplate tx,
            Clock clock) {
        this.outbox = outbox;
        this.jitter = jitter;
        this.ledger = ledger;
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.tx = tx;
        this.clock = clock;
    }

    /** One tick; returns how many runs it acted on. */
    public int sweep() {
        int acted = 0;
        for (RunId id : ledger.withDeadlineBefore(clock.instant(), BATCH)) {
            try {
                if (act(id)) {
                    acted++;
                }
            } catch (ConcurrentRunUpdateException e) {
                log.debug("run {} changed while its deadline was handled; the next tick looks again", id);
            } catch (RuntimeException e) {
                log.error("could not handle the deadline of run {}", id, e);
            }
        }
        return acted;
    }

    private boolean act(RunId id) {
        try (var context = RunLogContext.of(id)) {
            return actInContext(id);
        }
    }

    private boolean actInContext(RunId id) {
        record Due(Run run, DeadlineAction action) {}
        Due due = tx.execute(status -> {
            Run run = ledger.get(id);
            Timeouts timeouts = catalog.definition(run.job(), run.catalogVersion())
                    .map(JobDefinition::timeouts)
                    .orElse(Timeouts.defaults());
            RetryPolicy retry = catalog.definition(run.job(), run.catalogVersion())
                    .map(JobDefinition::retry)
                    .orElse(RetryPolicy.none());
            Instant now = clock.instant();
            DeadlineAction action = run.deadlinePassed(timeouts, retry, jitter.of(retry.backoff()), now);
            ledger.update(run);
            if (run.status() == RunStatus.RETRY_WAIT && run.nextAttemptAt() != null) {
                // a start timeout a rule retries: the next attempt goes out through the outbox
                outbox.add(run.id(), now, run.nextAttemptAt());
            }
            return new Due(run, action);
        });
        Attempt attempt = due.run().currentAttempt();
        if (attempt == null || attempt.handle() == null || due.action() == DeadlineAction.NONE) {
            return true;
        }
        runtimes.named(attempt.runtime()).ifPresent(runtime -> {
            if (due.action() == DeadlineAction.STOP_TASK) {
                String why = attempt.stopCause() == StopCause.START_TIMEOUT ? "start timeout" : "run timeout";
                log.info("run {}: {}, stopping task {}", id, why, attempt.handle());
                runtime.stop(attempt.handle(), "batchgate: " + why);
            } else {
                log.warn("run {}: task {} outlived its stop grace, killing it", id, attempt.handle());
                runtime.kill(attempt.handle());
            }
        });
        return true;
    }
}
