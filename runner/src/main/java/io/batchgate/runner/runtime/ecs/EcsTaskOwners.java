package io.batchgate.runner.runtime.ecs;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.util.Optional;

/**
 * The ledger's answer to "whose task is this?" for the orphan scan: a task belongs to batchgate
 * while its attempt is the run's active one (before the attempt records its handle too: it may be
 * mid-launch), and stays known once that attempt has ended with this task and recorded how. A task
 * whose record was lost is not known: if it shows up running, it is reported.
 */
class EcsTaskOwners implements EcsOrphanScanner.Owners {

    private final RunLedger ledger;

    EcsTaskOwners(RunLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean owns(String runId, int attempt, String taskArn) {
        Optional<Run> found = Optional.ofNullable(RunId.parseOrNull(runId)).flatMap(ledger::find);
        if (found.isEmpty() || attempt < 1 || attempt > found.get().attempts().size()) {
            return false;
        }
        Run run = found.get();
        Attempt owner = run.attempts().get(attempt - 1);
        boolean itsTask = owner.handle() != null && owner.handle().id().equals(taskArn);
        if (owner.isActive()) {
            return run.isActiveAttempt(attempt) && (owner.handle() == null || itsTask);
        }
        return itsTask && owner.outcome() != AttemptOutcome.RECORD_LOST;
    }
}
