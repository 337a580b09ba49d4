package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The waits before a transaction that lost a lock conflict runs again: full jitter under a doubling ceiling. */
class LockConflictWaitsTests {

    @Test
    void eachWaitIsDrawnFromZeroToItsCeiling() {
        LockConflictRetryingTransactions transactions = new LockConflictRetryingTransactions(
                new DataSourceTransactionManager(),
                8,
                Duration.ofMillis(20),
                Duration.ofMillis(500),
                new Random(23),
                new SimpleMeterRegistry());
        Random twin = new Random(23);
        // the defaults (batchgate.db.lock-conflict-first-wait / -max-wait): 20 ms doubling, at most 500 ms
        List<Integer> ceilingsMillis = List.of(20, 40, 80, 160, 320, 500, 500, 500);
        for (int retry = 1; retry <= ceilingsMillis.size(); retry++) {
            long ceiling = Duration.ofMillis(ceilingsMillis.get(retry - 1)).toNanos();

            Duration wait = transactions.waitBefore(retry);

            assertThat(wait).as("before retry %d", retry).isEqualTo(Duration.ofNanos(twin.nextLong(ceiling + 1)));
            assertThat(wait).isBetween(Duration.ZERO, Duration.ofNanos(ceiling));
        }
    }
}
