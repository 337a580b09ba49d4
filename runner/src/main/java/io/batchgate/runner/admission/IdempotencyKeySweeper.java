package io.batchgate.runner.admission;

import io.batchgate.runner.ledger.RunLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the idempotency keys older than their retention, batch after batch (each its own short
 * transaction), so the unique index on keys does not grow forever. Admission also ignores an
 * expired key that no sweep has reached yet.
 */
public class IdempotencyKeySweeper {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeySweeper.class);

    private final RunLedger ledger;
    private final Duration retention;
    private final int batch;
    private final Clock clock;

    public IdempotencyKeySweeper(RunLedger ledger, Duration retention, int batch, Clock clock) {
        this.ledger = ledger;
        this.retention = retention;
        this.batch = batch;
        this.clock = clock;
    }

    /** Returns how many keys this sweep cleared. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        while (true) {
            int cleared = ledger.expireIdempotencyKeys(cutoff, batch);
            total += cleared;
            if (cleared < batch) {
                break;
            }
        }
        if (total > 0) {
            log.info("cleared {} idempotency keys created before {}", total, cutoff);
        }
        return total;
    }
}
