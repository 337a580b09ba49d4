package io.batchgate.runner.ledger;

import io.batchgate.catalog.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application's one {@link TransactionTemplate}: a transaction that loses a deadlock or times
 * out waiting for a row lock is run again from the start, a bounded number of times with jittered
 * waits. On MySQL/MariaDB both are normal under load (InnoDB picks a deadlock victim and rolls its
 * transaction back whole, error 1213; a lock wait ends with 1205), so a caller should never see
 * them as an error while the database is healthy. Only the outermost transaction is retried: one
 * that joined an enclosing transaction cannot be, as the enclosing one is already rolled back.
 * Every retry counts in {@code batchgate.db.retries}.
 *
 * <p>Callbacks must be safe to run again: they read what they change inside the transaction, and
 * whatever they do outside the database happens after commit (the run events do).
 */
public class LockConflictRetryingTransactions extends TransactionTemplate {

    private static final Logger log = LoggerFactory.getLogger(LockConflictRetryingTransactions.class);

    /** H2's LOCK_TIMEOUT_1, MySQL's ER_LOCK_WAIT_TIMEOUT. */
    private static final Set<Integer> LOCK_TIMEOUT_CODES = Set.of(50200, 1205);

    private final int maxTries;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Counter retries;
    private final Counter exhausted;

    public LockConflictRetryingTransactions(
            PlatformTransactionManager transactionManager,
            int maxTries,
            Duration firstWait,
            Duration maxWait,
            RandomGenerator random,
            MeterRegistry meters) {
        super(transactionManager);
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1, was " + maxTries);
        }
        this.maxTries = maxTries;
        this.backoff = Backoff.doubling(firstWait, maxWait, Backoff.Jitter.FULL);
        this.random = random;
        this.retries = Counter.builder("batchgate.db.retries")
                .description("Transactions run again after a deadlock or a lock-wait timeout")
                .register(meters);
        this.exhausted = Counter.builder("batchgate.db.retries.exhausted")
                .description("Transactions that still lost a lock conflict after every retry")
                .register(meters);
    }

    @Override
    public <T> @Nullable T execute(TransactionCallback<T> action) throws TransactionException {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return super.execute(action); // joins the caller's transaction, which owns the retry
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return super.execute(action);
            } catch (TransientDataAccessException conflict) {
                if (!isLockConflict(conflict)) {
                    throw conflict;
                }
                if (attempt >= maxTries) {
                    exhausted.increment();
                    log.warn("transaction lost a lock conflict {} times, giving up: {}", attempt, conflict.toString());
                    throw conflict;
                }
                retries.increment();
                Duration wait = waitBefore(attempt);
                log.debug(
                        "transaction lost a lock conflict (try {}), again in {} ms: {}",
                        attempt,
                        wait.toMillis(),
                        conflict.toString());
                pause(wait);
            }
        }
    }

    /**
     * A deadlock or a lock-wait timeout. Spring reports H2's lock timeout (error 50200, a {@code
     * SQLTimeoutException}) as a {@link QueryTimeoutException} rather than a pessimistic locking
     * failure; MySQL's 1205 is included in case a driver reports it the same way.
     */
    static boolean isLockConflict(TransientDataAccessException e) {
        if (e instanceof PessimisticLockingFailureException) {
            return true;
        }
        if (e instanceof QueryTimeoutException) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql) {
                    return LOCK_TIMEOUT_CODES.contains(sql.getErrorCode());
                }
            }
        }
        return false;
    }

    /** Full jitter under a doubling ceiling, so that the losers of one deadlock do not meet again. */
    Duration waitBefore(int retry) {
        return backoff.delay(retry, random);
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a transaction", e);
        }
    }
}
