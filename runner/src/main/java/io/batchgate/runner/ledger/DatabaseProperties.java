package io.batchgate.runner.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How batchgate uses its database beyond the data source itself.
 *
 * @param lockConflictTries how many times a transaction that lost a deadlock or a lock wait is
 *     run in all before the error reaches the caller
 * @param lockConflictFirstWait the ceiling of the first jittered wait before a retry; each further
 *     ceiling doubles, up to {@code lockConflictMaxWait}
 * @param lockConflictMaxWait the longest wait before a retry
 */
@ConfigurationProperties("batchgate.db")
record DatabaseProperties(
        @DefaultValue("8") int lockConflictTries,
        @DefaultValue("20ms") Duration lockConflictFirstWait,
        @DefaultValue("500ms") Duration lockConflictMaxWait) {

    public DatabaseProperties {
        if (lockConflictTries < 1
                || lockConflictFirstWait.isNegative()
                || lockConflictMaxWait.compareTo(lockConflictFirstWait) < 0) {
            throw new IllegalArgumentException(
                    "batchgate.db: lock-conflict-tries >= 1 and 0 <= lock-conflict-first-wait <= lock-conflict-max-wait");
        }
    }
}
