package io.batchgate.runner.track;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps work from being stranded by a runner replica that died: on an interval every runner
 * watches all running attempts again (idempotent) and takes over attempts stuck in LAUNCHING
 * for longer than the launch lease. Queued and retry-waiting runs need no such care: their
 * outbox rows are sent again until a runner claims them.
 */
public class WorkAdoption {

    private static final Logger log = LoggerFactory.getLogger(WorkAdoption.class);

    private final RunnerRecovery recovery;
    private final Clock clock;
    private final Duration launchLease;

    public WorkAdoption(RunnerRecovery recovery, Clock clock, Duration launchLease) {
        this.recovery = recovery;
        this.clock = clock;
        this.launchLease = launchLease;
    }

    /** One pass; returns how many attempts it looked after. */
    public int adopt() {
        return recovery.adoptOrphanedWork(clock.instant().minus(launchLease));
    }
}
