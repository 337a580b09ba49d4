package io.batchgate.runner.track;

import io.batchgate.runner.ledger.Outbox;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps work from being stranded by a runner replica that died: on an interval every runner
 * watches all running attempts again (idempotent) and takes over attempts stuck in LAUNCHING
 * for longer than the launch lease. Queued and retry-waiting runs need no such care: their
 * outbox rows are sent again until a runner claims them.
 */
class WorkAdoption {

    private static final Logger log = LoggerFactory.getLogger(WorkAdoption.class);

    private final RunnerRecovery recovery;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration launchLease;

    public WorkAdoption(
            RunnerRecovery recovery, Outbox outbox, TransactionTemplate tx, Clock clock, Duration launchLease) {
        this.outbox = outbox;
        this.tx = tx;
        this.recovery = recovery;
        this.clock = clock;
        this.launchLease = launchLease;
    }

    /** One pass; returns how many attempts it looked after. */
    public int adopt() {
        int restored = tx.execute(status -> outbox.restoreMissing(clock.instant()));
        if (restored > 0) {
            log.warn("put back the outbox rows of {} queued or retry-waiting runs that had none", restored);
        }
        return recovery.adoptOrphanedWork(clock.instant().minus(launchLease));
    }
}
