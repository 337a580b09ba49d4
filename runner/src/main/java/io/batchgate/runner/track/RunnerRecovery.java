package io.batchgate.runner.track;

import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.runtime.AttemptRef;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back attempts a runner left active: a running task is watched again (its end may already
 * be on disk), and an attempt caught mid-launch — LAUNCHING for longer than the launch lease — is
 * found through its runtime or, if its task never started, started now. Younger LAUNCHING attempts
 * are left alone, also at start-up: this runner's own queue listener, or another live replica, may
 * be launching them right now. The runtimes make a second start of one attempt harmless anyway
 * (ECS clientToken, the local runtime's launch marker).
 */
class RunnerRecovery {

    private static final Logger log = LoggerFactory.getLogger(RunnerRecovery.class);
    private static final int BATCH = 1000;

    private final RunLedger ledger;
    private final RunLauncher launcher;

    public RunnerRecovery(RunLedger ledger, RunLauncher launcher) {
        this.ledger = ledger;
        this.launcher = launcher;
    }

    /**
     * At start-up: watches every running attempt again and takes over those LAUNCHING since before
     * {@code staleBefore}. Returns how many.
     */
    public int recover(Instant staleBefore) {
        int recovered = takeBack(staleBefore);
        if (recovered > 0) {
            log.info("took back {} active attempts from before the restart", recovered);
        }
        return recovered;
    }

    /**
     * Periodically, on every runner: watches every running attempt again (watching is
     * idempotent, so a replica that died leaves no task unobserved) and takes over attempts that
     * have been LAUNCHING since before {@code staleBefore} — their runner stopped mid-launch.
     */
    public int adoptOrphanedWork(Instant staleBefore) {
        return takeBack(staleBefore);
    }

    private int takeBack(Instant staleBefore) {
        int recovered = 0;
        Optional<RunId> after = Optional.empty();
        List<Run> active;
        do {
            active = ledger.findInStatus(
                    EnumSet.of(RunStatus.LAUNCHING, RunStatus.RUNNING, RunStatus.STOPPING), after, BATCH);
            after = active.isEmpty()
                    ? after
                    : Optional.of(active.get(active.size() - 1).id());
            recovered += takeBack(active, staleBefore);
        } while (active.size() == BATCH);
        return recovered;
    }

    private static Instant lastChange(Run run) {
        return run.timeline().get(run.timeline().size() - 1).at();
    }

    private int takeBack(List<Run> active, Instant staleBefore) {
        int recovered = 0;
        for (Run run : active) {
            Attempt attempt = run.currentAttempt();
            if (attempt == null || !attempt.isActive()) {
                continue;
            }
            if (run.status() == RunStatus.LAUNCHING && !lastChange(run).isBefore(staleBefore)) {
                continue; // a live runner may be launching it right now
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
