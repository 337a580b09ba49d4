package io.batchgate.runner.slots;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.runner.ledger.LockConflictRetryingTransactions;
import io.batchgate.runner.ledger.ReadCommittedPools;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mechanism behind overlap and concurrency limits, over real SQL on every supported database,
 * through the same pool settings and transactions the application uses: a count made after a
 * job's lock sees what the previous lock holder committed, and lock conflicts are retried.
 */
abstract class JobSlotsContractTests {

    private static final Set<RunStatus> ACTIVE = Set.of(RunStatus.QUEUED, RunStatus.RUNNING);

    protected abstract String newDatabaseUrl();

    /** A statement that makes this session's row-lock waits time out quickly (H2: 50200, MySQL: 1205). */
    protected abstract String shortLockWait();

    private final Random random = new Random(7);
    private HikariDataSource pool;
    private JobSlots slots;
    private RunLedger ledger;
    private SimpleMeterRegistry meters;
    private LockConflictRetryingTransactions tx;
    private JdbcClient jdbc;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    @BeforeEach
    void pool() {
        String url = newDatabaseUrl();
        TestDatabases.migrated(url);
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        if (url.startsWith("jdbc:mysql:")) {
            pool.setUsername(TestDatabases.MARIADB_USER);
            pool.setPassword(TestDatabases.MARIADB_PASSWORD);
        } else {
            pool.setUsername("sa");
        }
        pool.setMaximumPoolSize(20);
        new ReadCommittedPools().postProcessBeforeInitialization(pool, "dataSource");
        jdbc = JdbcClient.create(pool);
        slots = new JobSlots(jdbc);
        ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        meters = new SimpleMeterRegistry();
        tx = new LockConflictRetryingTransactions(
                new DataSourceTransactionManager(pool),
                8,
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                new Random(3),
                meters);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        pool.close();
    }

    private Run newRun(String job) {
        return Run.accept(
                RunId.next(System.currentTimeMillis(), random),
                job,
                "v1",
                Map.of(),
                Set.of(),
                "ci",
                null,
                Instant.now());
    }

    /**
     * The defect this guards against: at InnoDB's REPEATABLE READ the count after the lock read the
     * snapshot taken by the transaction's first read, before the lock wait, and missed the run the
     * previous holder had just committed — two triggers of a {@code forbid} job both saw nothing.
     */
    @Test
    void aCountAfterTheLockSeesWhatThePreviousHolderCommitted() throws Exception {
        slots.createLockRows(List.of("nightly"));
        CountDownLatch firstHoldsTheLock = new CountDownLatch(1);
        CountDownLatch secondHasReadOnce = new CountDownLatch(1);
        Future<?> first = threads.submit(() -> tx.executeWithoutResult(status -> {
            slots.lock("nightly");
            ledger.insert(newRun("nightly"));
            firstHoldsTheLock.countDown();
            await(secondHasReadOnce);
        }));
        Future<Integer> second = threads.submit(() -> tx.execute(status -> {
            await(firstHoldsTheLock);
            // a read before the lock, as a trigger makes (idempotency replay, execution keys)
            slots.runs("nightly", ACTIVE);
            secondHasReadOnce.countDown();
            slots.lock("nightly");
            return slots.runs("nightly", ACTIVE).size();
        }));
        first.get(60, TimeUnit.SECONDS);
        assertThat(second.get(60, TimeUnit.SECONDS))
                .as("active runs seen after the lock")
                .isEqualTo(1);
    }

    /** Many first triggers of a job nobody triggered before: each gets the lock, none fails. */
    @Test
    void concurrentFirstLocksOfANewJobAllSucceed() throws Exception {
        int callers = 16;
        CyclicBarrier together = new CyclicBarrier(callers);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            calls.add(threads.submit(() -> {
                await(together);
                tx.executeWithoutResult(status -> {
                    slots.lock("brand-new");
                    ledger.insert(newRun("brand-new"));
                });
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get(120, TimeUnit.SECONDS);
        }
        assertThat(slots.runs("brand-new", ACTIVE)).hasSize(callers);
    }

    /** Two transactions that lock two rows in opposite order: the deadlock's loser runs again. */
    @Test
    void aTransactionThatLosesADeadlockIsRunAgainAndCounted() throws Exception {
        slots.createLockRows(List.of("a", "b"));
        CyclicBarrier bothHoldOne = new CyclicBarrier(2);
        AtomicInteger tries = new AtomicInteger();
        Future<?> ab = threads.submit(() -> tx.executeWithoutResult(status -> {
            boolean firstTry = tries.incrementAndGet() <= 2;
            slots.lock("a");
            if (firstTry) {
                await(bothHoldOne);
            }
            slots.lock("b");
        }));
        Future<?> ba = threads.submit(() -> tx.executeWithoutResult(status -> {
            boolean firstTry = tries.incrementAndGet() <= 2;
            slots.lock("b");
            if (firstTry) {
                await(bothHoldOne);
            }
            slots.lock("a");
        }));
        ab.get(120, TimeUnit.SECONDS);
        ba.get(120, TimeUnit.SECONDS);
        assertThat(meters.counter("batchgate.db.retries").count()).isGreaterThanOrEqualTo(1);
        assertThat(tries.get()).isGreaterThanOrEqualTo(3);
    }

    /**
     * A transaction that times out waiting for a row lock runs again, like a deadlock's loser. H2
     * reports its lock timeout as a {@code QueryTimeoutException}, not as a pessimistic locking
     * failure: the first burst of triggers of a job without a lock row answered 503 on H2.
     */
    @Test
    void aTransactionThatTimesOutWaitingForALockIsRunAgainAndCounted() throws Exception {
        slots.createLockRows(List.of("held"));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger tries = new AtomicInteger();
        Future<?> holder = threads.submit(() -> tx.executeWithoutResult(status -> {
            slots.lock("held");
            holding.countDown();
            await(release);
        }));
        await(holding);
        Future<?> waiter = threads.submit(() -> tx.executeWithoutResult(status -> {
            if (tries.incrementAndGet() == 1) {
                jdbc.sql(shortLockWait()).update();
            }
            slots.lock("held");
        }));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> meters.counter("batchgate.db.retries").count() >= 1 || waiter.isDone());
        release.countDown();
        holder.get(60, TimeUnit.SECONDS);
        waiter.get(60, TimeUnit.SECONDS);
        assertThat(meters.counter("batchgate.db.retries").count()).isGreaterThanOrEqualTo(1);
        assertThat(tries.get()).isGreaterThanOrEqualTo(2);
    }

    /** A transaction that joins an enclosing one is not retried on its own: the enclosing one is. */
    @Test
    void onlyTheOutermostTransactionRetries() {
        TransactionTemplate plain = new TransactionTemplate(new DataSourceTransactionManager(pool));
        AtomicInteger inner = new AtomicInteger();
        try {
            plain.executeWithoutResult(outer -> tx.executeWithoutResult(status -> {
                inner.incrementAndGet();
                throw new org.springframework.dao.CannotAcquireLockException("simulated lock wait timeout");
            }));
        } catch (org.springframework.dao.CannotAcquireLockException expected) {
            // reaches the outer caller after one try
        }
        assertThat(inner).hasValue(1);
        assertThat(meters.counter("batchgate.db.retries").count()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
