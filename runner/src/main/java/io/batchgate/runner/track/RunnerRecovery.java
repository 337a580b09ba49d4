package io.batchgate.runner.track;

import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.runtime.AttemptRef;
import java.util.EnumSet;
import java.util.List;
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
        List<Run> active = ledger.findInStatus(EnumSet.of(RunStatus.LAUNCHING, RunStatus.RUNNING), BATCH);
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
        if (recovered > 0) {
            log.info("took back {} active attempts from before the restart", recovered);
        }
        return recovered;
    }
}
