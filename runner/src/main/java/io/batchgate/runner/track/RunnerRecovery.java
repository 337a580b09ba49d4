package io.batchgate.runner.track;

import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.runtime.AttemptRef;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, takes back every attempt the previous runner left active: a running task is watched
 * again (its end may already be on disk), and an attempt caught mid-launch is found through its
 * runtime or, if its task never started, started now — never a second task for one attempt.
 */
public class RunnerRecovery {

    private static final Logger log = LoggerFactory.getLogger(RunnerRecovery.class);
    private static final int BATCH = 1000;

    private final RunLedger ledger;
    private final RunLauncher launcher;

    public RunnerRecovery(RunLedger ledger, RunLauncher launcher) {
        this.ledger = ledger;
        this.launcher = launcher;
    }

    /** Returns how many attempts were taken back. */
    public int recover() {
        int recovered = 0;
        Optional<RunId> after = Optional.empty();
        List<Run> active;
        do {
            active = ledger.findInStatus(EnumSet.of(RunStatus.LAUNCHING, RunStatus.RUNNING), after, BATCH);
            after = active.isEmpty()
                    ? after
                    : Optional.of(active.get(active.size() - 1).id());
            recovered += recover(active);
        } while (active.size() == BATCH);
        if (recovered > 0) {
            log.info("took back {} active attempts from before the restart", recovered);
        }
        return recovered;
    }

    private int recover(List<Run> active) {
        int recovered = 0;
        for (Run run : active) {
            Attempt attempt = run.currentAttempt();
            if (attempt == null || !attempt.isActive()) {
                continue;
            }
            try {
                launcher.resume(run, new AttemptRef(run.id(), attempt.number()));
                recovered++;
            } catch (RuntimeException e) {
                log.error("could not take back run {} attempt {}", run.id(), attempt.number(), e);
            }
        }
        return recovered;
    }
}
