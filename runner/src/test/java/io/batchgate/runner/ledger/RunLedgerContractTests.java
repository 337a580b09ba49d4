package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.batch.JoiningJobRepository;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.TaskExitSink;
import io.batchgate.runner.slots.JobSlots;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.track.AttemptTracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger's behaviour over real SQL, run on every database batchgate supports: each subclass
 * supplies a freshly migrated database.
 */
abstract class RunLedgerContractTests {

    private final Random random = new Random(42);
    private Instant now = Instant.parse("2026-11-23T10:00:00.123Z");
    private DataSource dataSource;
    private RunLedger ledger;
    private Outbox outbox;

    protected abstract String newDatabaseUrl();

    /** How precisely this database keeps the ledger's times: milliseconds on every database. */
    protected ChronoUnit timePrecision() {
        return ChronoUnit.MILLIS;
    }

    @BeforeEach
    void migrate() {
        dataSource = io.batchgate.runner.testing.TestDatabases.migrated(newDatabaseUrl());
        JdbcClient jdbc = JdbcClient.create(dataSource);
        ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        outbox = new Outbox(jdbc);
    }

    private Run newRun(String job, Map<String, String> params) {
        now = now.plusMillis(5);
        return Run.accept(
                RunId.next(now.toEpochMilli(), random), job, "sha256:abc", params, Set.of("PASSWORD"), "ci", null, now);
    }

    @Test
    void storesAndRestoresARunWithItsAttemptsAndTimeline() {
        Run run = newRun("hello", Map.of("GREETING", "Grüß Gott 🎉", "PASSWORD", "s3cret"));
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("local", now.plusSeconds(1));
        claimed.recordExecution(77L);
        claimed.started(new TaskHandle("local", "1234@5678"), now.plusSeconds(2));
        ledger.update(claimed);
        Run finished = ledger.get(run.id());
        finished.finished(TaskExit.code(1), new ExitCodePolicy(Set.of(0), Set.of(1)), now.plusSeconds(3));
        ledger.update(finished);

        Run loaded = ledger.get(run.id());
        assertThat(loaded.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(loaded.warning()).isTrue();
        assertThat(loaded.exitCode()).isEqualTo(1);
        assertThat(loaded.params()).containsEntry("GREETING", "Grüß Gott 🎉").containsEntry("PASSWORD", "******");
        assertThat(loaded.maskedParams()).containsEntry("PASSWORD", "******");
        assertThat(loaded.createdAt()).isEqualTo(run.createdAt().truncatedTo(timePrecision()));
        assertThat(loaded.finishedAt()).isEqualTo(now.plusSeconds(3).truncatedTo(timePrecision()));
        assertThat(loaded.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.handle()).isEqualTo(new TaskHandle("local", "1234@5678"));
            assertThat(attempt.jobExecutionId()).isEqualTo(77L);
            assertThat(attempt.exitCode()).isEqualTo(1);
            assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.EXITED);
        });
        assertThat(loaded.timeline())
                .extracting(entry -> entry.to())
                .containsExactly(RunStatus.QUEUED, RunStatus.LAUNCHING, RunStatus.RUNNING, RunStatus.SUCCEEDED);
        assertThat(loaded.timeline().get(3).reason()).isEqualTo("exit code 1 is a warning");
    }

    /** A retried run's attempts across loads: the stored one is updated, the new one inserted. */
    @Test
    void aRetriedRunStoresEachAttemptOnce(@TempDir Path catalogDir) {
        JobDefinition flaky = TestCatalogs.load(catalogDir, """
                        jobs:
                          flaky:
                            local: { command: ["true"] }
                            retry:
                              maxAttempts: 2
                              backoff: { initial: 10s }
                              rules: [ { exitCodes: [75], action: RETRY } ]
                        """).job("flaky").orElseThrow();
        Run run = newRun("flaky", Map.of());
        ledger.insert(run);
        Run first = ledger.get(run.id());
        first.claim("local", now);
        ledger.update(first);
        Run running = ledger.get(run.id());
        running.started(new TaskHandle("local", "1@1"), now.plusSeconds(1));
        ledger.update(running);
        Run ended = ledger.get(run.id());
        ended.finished(
                TaskExit.code(75), flaky.exitCodes(), flaky.retry(), n -> Duration.ofSeconds(10), now.plusSeconds(2));
        ledger.update(ended);
        assertThat(ended.status()).isEqualTo(RunStatus.RETRY_WAIT);
        Run second = ledger.get(run.id());
        second.claim("local", now.plusSeconds(12));
        ledger.update(second);

        Run loaded = ledger.get(run.id());
        assertThat(loaded.attempts()).hasSize(2);
        assertThat(loaded.attempts().get(0).exitCode()).isEqualTo(75);
        assertThat(loaded.attempts().get(0).handle()).isEqualTo(new TaskHandle("local", "1@1"));
        assertThat(loaded.attempts().get(1).number()).isEqualTo(2);
        assertThat(loaded.attempts().get(1).exitCode()).isNull();
        assertThat(loaded.status()).isEqualTo(RunStatus.LAUNCHING);
        assertThat(JdbcClient.create(dataSource)
                        .sql("SELECT COUNT(*) FROM bg_attempt WHERE run_id = ?")
                        .param(run.id().value())
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    /**
     * Secret values are kept sealed while the run may still launch an attempt — a retry launches
     * with the same values, opened only for it — and are gone from the row once it is final,
     * whichever way it ends.
     */
    @Test
    void secretValuesAreKeptSealedWhileTheRunMayLaunchAndClearedWhenItIsFinal(@TempDir Path catalogDir) {
        JobDefinition flaky = TestCatalogs.load(catalogDir, """
                        jobs:
                          flaky:
                            local: { command: ["true"] }
                            retry:
                              maxAttempts: 2
                              backoff: { initial: 10s }
                              rules: [ { exitCodes: [75], action: RETRY } ]
                        """).job("flaky").orElseThrow();
        Run run = newRun("flaky", Map.of("GREETING", "hi", "PASSWORD", "s3cret"));
        ledger.insert(run);
        assertThat(storedParams(run.id())).doesNotContain("s3cret").contains("bgsealed:v1:");
        Run first = ledger.get(run.id());
        first.claim("local", now);
        first.started(new TaskHandle("local", "1@1"), now.plusSeconds(1));
        ledger.update(first);
        Run ended = ledger.get(run.id());
        ended.finished(
                TaskExit.code(75), flaky.exitCodes(), flaky.retry(), n -> Duration.ofSeconds(10), now.plusSeconds(2));
        ledger.update(ended);
        assertThat(ended.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(storedParams(run.id())).as("kept for a retry, sealed").doesNotContain("s3cret");
        Run second = ledger.get(run.id());
        assertThat(second.params().get("PASSWORD")).startsWith("bgsealed:v1:");
        assertThat(ledger.launchParams(second)).containsEntry("PASSWORD", "s3cret");
        assertThat(ledger.secretValues(run.id())).containsExactly("s3cret");
        second.claim("local", now.plusSeconds(12));
        second.started(new TaskHandle("local", "2@2"), now.plusSeconds(13));
        second.finished(TaskExit.code(0), flaky.exitCodes(), flaky.retry(), n -> Duration.ZERO, now.plusSeconds(14));
        ledger.update(second);

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(storedParams(run.id()))
                .doesNotContain("s3cret")
                .contains("\"PASSWORD\":\"******\"")
                .contains("\"GREETING\":\"hi\"");
        Run loaded = ledger.get(run.id());
        assertThat(loaded.hasParams(Map.of("GREETING", "hi", "PASSWORD", "anything")))
                .isTrue();
        assertThat(loaded.hasParams(Map.of("GREETING", "ho", "PASSWORD", "s3cret")))
                .isFalse();
        assertThat(loaded.hasParams(Map.of("GREETING", "hi"))).isFalse();

        // a run that ends without ever launching (cancelled while queued) is cleared too
        Run queued = newRun("flaky", Map.of("PASSWORD", "t0ps3cret"));
        ledger.insert(queued);
        Run cancelled = ledger.get(queued.id());
        cancelled.cancel(
                "by ci",
                io.batchgate.runner.run.StopCause.CANCEL,
                io.batchgate.catalog.Timeouts.defaults(),
                now.plusSeconds(1));
        ledger.update(cancelled);
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(storedParams(queued.id())).doesNotContain("t0ps3cret");
    }

    /** The stored params_json, read with plain JDBC past the ledger. */
    /** A sealed value altered in the row, or copied to another run's row, does not open: it throws clearly. */
    @Test
    void aSealedValueThatWasAlteredOrMovedToAnotherRunDoesNotOpen() {
        Run victim = newRun("hello", Map.of("PASSWORD", "s3cret"));
        Run thief = newRun("hello", Map.of("PASSWORD", "other"));
        ledger.insert(victim);
        ledger.insert(thief);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("UPDATE bg_run SET params_json = ? WHERE id = ?")
                .param(storedParams(victim.id()))
                .param(thief.id().value())
                .update();
        assertThatThrownBy(() -> ledger.launchParams(ledger.get(thief.id())))
                .isInstanceOf(io.batchgate.runner.secrets.SecretSeal.UnsealException.class)
                .hasMessageContaining("PASSWORD")
                .hasMessageContaining(thief.id().value())
                .hasMessageContaining("belongs to another run")
                .hasMessageNotContaining("s3cret");

        String stored = storedParams(victim.id());
        int at = stored.indexOf("bgsealed:v1:") + 30;
        char flipped = stored.charAt(at) == 'A' ? 'B' : 'A';
        jdbc.sql("UPDATE bg_run SET params_json = ? WHERE id = ?")
                .param(stored.substring(0, at) + flipped + stored.substring(at + 1))
                .param(victim.id().value())
                .update();
        assertThatThrownBy(() -> ledger.launchParams(ledger.get(victim.id())))
                .isInstanceOf(io.batchgate.runner.secrets.SecretSeal.UnsealException.class)
                .hasMessageContaining("altered");
    }

    private String storedParams(RunId id) {
        return JdbcClient.create(dataSource)
                .sql("SELECT params_json FROM bg_run WHERE id = ?")
                .param(id.value())
                .query(String.class)
                .single();
    }

    @Test
    void onlyOneOfTwoConcurrentClaimsWins() {
        Run run = newRun("hello", Map.of());
        ledger.insert(run);
        Run first = ledger.get(run.id());
        Run second = ledger.get(run.id());
        first.claim("local", now);
        second.claim("local", now);
        ledger.update(first);
        assertThatThrownBy(() -> ledger.update(second)).isInstanceOf(ConcurrentRunUpdateException.class);
        assertThat(ledger.get(run.id()).attempts()).hasSize(1);
        assertThat(ledger.get(run.id()).timeline()).hasSize(2);
    }

    /**
     * The launcher records the started task on the run it claimed, without reloading it (three
     * SELECTs); a change stored meanwhile (a cancel) still makes that update fail.
     */
    @Test
    void aStoredRunCanBeStoredAgainWithoutAReloadUnlessItChangedMeanwhile() {
        Run run = newRun("hello", Map.of());
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("local", now);
        ledger.update(claimed);
        claimed.started(new TaskHandle("local", "1"), now);
        ledger.update(claimed);
        assertThat(ledger.get(run.id()).status()).isEqualTo(RunStatus.RUNNING);

        Run other = newRun("hello", Map.of());
        ledger.insert(other);
        Run launching = ledger.get(other.id());
        launching.claim("local", now);
        ledger.update(launching);
        Run cancelling = ledger.get(other.id());
        cancelling.cancel("by a test", StopCause.CANCEL, Timeouts.defaults(), now);
        ledger.update(cancelling);
        launching.started(new TaskHandle("local", "2"), now);
        assertThatThrownBy(() -> ledger.update(launching)).isInstanceOf(ConcurrentRunUpdateException.class);
    }

    @Test
    void pagesHistoryNewestFirstWithFiltersAndCursor() {
        List<RunId> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Run run = newRun(i % 2 == 0 ? "even" : "odd", Map.of());
            ledger.insert(run);
            ids.add(run.id());
        }
        RunPage first = ledger.page(new RunQuery(Optional.empty(), Optional.empty(), 3, Optional.empty()));
        assertThat(first.runs()).extracting(Run::id).containsExactly(ids.get(6), ids.get(5), ids.get(4));
        RunPage second = ledger.page(new RunQuery(Optional.empty(), Optional.empty(), 3, first.nextCursor()));
        assertThat(second.runs()).extracting(Run::id).containsExactly(ids.get(3), ids.get(2), ids.get(1));
        RunPage last = ledger.page(new RunQuery(Optional.empty(), Optional.empty(), 3, second.nextCursor()));
        assertThat(last.runs()).extracting(Run::id).containsExactly(ids.get(0));
        assertThat(last.nextCursor()).isEmpty();

        RunPage odd =
                ledger.page(new RunQuery(Optional.of("odd"), Optional.of(RunStatus.QUEUED), 10, Optional.empty()));
        assertThat(odd.runs()).extracting(Run::id).containsExactly(ids.get(5), ids.get(3), ids.get(1));
        assertThat(ledger.page(new RunQuery(Optional.empty(), Optional.of(RunStatus.RUNNING), 10, Optional.empty()))
                        .runs())
                .isEmpty();
    }

    @Test
    void anIdempotencyKeyNamesOneRunPerCallerAndJob() {
        Run first =
                Run.accept(RunId.next(now.toEpochMilli(), random), "hello", "v", Map.of(), Set.of(), "ci", "k-1", now);
        ledger.insert(first);
        Run again =
                Run.accept(RunId.next(now.toEpochMilli(), random), "hello", "v", Map.of(), Set.of(), "ci", "k-1", now);
        assertThatThrownBy(() -> ledger.insert(again)).isInstanceOf(DuplicateKeyException.class);
        assertThat(ledger.findByIdempotencyKey("ci", "hello", "k-1"))
                .map(Run::id)
                .contains(first.id());
        assertThat(ledger.findByIdempotencyKey("other-caller", "hello", "k-1")).isEmpty();
        ledger.insert(Run.accept(
                RunId.next(now.toEpochMilli(), random), "hello", "v", Map.of(), Set.of(), "other-caller", "k-1", now));
    }

    @Test
    void outboxRowsAreDueUntilSentThenAgainWhenUnclaimedTooLong() {
        Run a = newRun("hello", Map.of());
        Run b = newRun("hello", Map.of());
        ledger.insert(a);
        ledger.insert(b);
        outbox.add(a.id(), now);
        outbox.add(b.id(), now.plusSeconds(2));
        Duration resend = Duration.ofMinutes(5);
        assertThat(outbox.due(now, resend, 10)).containsExactly(a.id());
        assertThat(outbox.due(now.plusSeconds(2), resend, 10)).containsExactly(a.id(), b.id());
        outbox.markSent(List.of(a.id()), now);
        assertThat(outbox.due(now.plusSeconds(2), resend, 10)).containsExactly(b.id());
        assertThat(outbox.due(now.plus(resend).plusSeconds(1), resend, 10)).containsExactly(a.id(), b.id());
        outbox.remove(b.id());
        assertThat(outbox.markAllUnsent()).isEqualTo(1);
        assertThat(outbox.due(now, resend, 10)).containsExactly(a.id());
        assertThat(outbox.size()).isEqualTo(1);
    }

    /**
     * The relay reads a row as due and sends it; meanwhile a retry moves the row to a later time
     * (the deadline sweeper's start-timeout rule). Marking the send must not swallow that move, or
     * the retry waits for the resend interval (seen in EcsPoliciesEndToEndTests under load).
     */
    @Test
    void aRowMovedWhileItsMessageWasInFlightStaysDueAtItsNewTime() {
        Run run = newRun("hello", Map.of());
        ledger.insert(run);
        outbox.add(run.id(), now);
        Duration resend = Duration.ofMinutes(5);
        Instant readAt = now.plusMillis(100);
        assertThat(outbox.due(readAt, resend, 10)).containsExactly(run.id());
        Instant retryAt = now.plusSeconds(1);
        outbox.add(run.id(), now.plusMillis(150), retryAt);
        outbox.markSent(List.of(run.id()), now.plusMillis(200), readAt);

        assertThat(outbox.due(retryAt, resend, 10)).containsExactly(run.id());
    }

    /**
     * Concurrent triggers each store a new run and its outbox row. On MariaDB, an UPDATE that
     * matched no row took a gap lock at the end of the index (run ids grow with time, so every new
     * id falls in the same gap), and the INSERT that followed waited for the other transactions'
     * gap locks: deadlocks, which the trigger API answered with 503 (found by bench/run).
     */
    @Test
    void concurrentTriggersStoreTheirOutboxRowsWithoutDeadlock() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        Random ids = new Random(7);
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> triggers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                triggers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Instant at = Instant.now();
                        Run run;
                        synchronized (ids) {
                            run = Run.accept(
                                    RunId.next(at.toEpochMilli(), ids),
                                    "hello",
                                    "v",
                                    Map.of(),
                                    Set.of(),
                                    "ci",
                                    null,
                                    at);
                        }
                        tx.executeWithoutResult(status -> {
                            ledger.insert(run);
                            outbox.add(run.id(), at);
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> trigger : triggers) {
                trigger.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outbox.size()).isEqualTo(threads * perThread);
    }

    /** The same gap-lock deadlock on the attempt rows: concurrent claims each insert attempt 1. */
    @Test
    void concurrentClaimsStoreTheirAttemptsWithoutDeadlock() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        int threads = 8;
        int perThread = 40;
        List<RunId> runs = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            Run run = newRun("hello", Map.of());
            ledger.insert(run);
            runs.add(run.id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> claims = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                claims.add(pool.submit(() -> {
                    start.await();
                    // interleaved, so that concurrent claims take neighbouring run ids
                    for (int i = first; i < runs.size(); i += threads) {
                        RunId id = runs.get(i);
                        tx.executeWithoutResult(status -> {
                            Run run = ledger.get(id);
                            run.claim("local", Instant.now());
                            ledger.update(run);
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> claim : claims) {
                claim.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger.get(runs.get(runs.size() - 1)).status()).isEqualTo(RunStatus.LAUNCHING);
    }

    @Test
    void missingOutboxRowsOfQueuedAndRetryWaitingRunsArePutBack() {
        Run queued = newRun("hello", Map.of());
        Run running = newRun("hello", Map.of());
        running.claim("local", now);
        ledger.insert(queued);
        ledger.insert(running);
        assertThat(outbox.restoreMissing(now)).isEqualTo(1);
        assertThat(outbox.due(now.plusSeconds(1), Duration.ofMinutes(5), 10)).containsExactly(queued.id());
        assertThat(outbox.restoreMissing(now)).isZero();
    }

    @Test
    void aDeferredOutboxRowIsNotDueBeforeItsTime() {
        Run run = newRun("hello", Map.of());
        ledger.insert(run);
        outbox.add(run.id(), now);
        outbox.markSent(List.of(run.id()), now);
        Instant retryAt = now.plusSeconds(10);
        outbox.add(run.id(), now, retryAt); // the launch was refused: send again at retryAt
        Duration resend = Duration.ofMinutes(5);
        assertThat(outbox.due(now.plusSeconds(9), resend, 10)).isEmpty();
        assertThat(outbox.due(retryAt, resend, 10)).containsExactly(run.id());
        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void aRunDeferredForInfrastructureKeepsItsAttemptAndRetryTime() {
        Run run = newRun("hello", Map.of());
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("ecs", now);
        claimed.launchDeferred("RESOURCE:MEMORY", now.plusSeconds(4), now);
        ledger.update(claimed);
        Run waiting = ledger.get(run.id());
        assertThat(waiting.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(waiting.nextAttemptAt()).isEqualTo(now.plusSeconds(4).truncatedTo(timePrecision()));
        assertThat(waiting.isDueForLaunch(now.plusSeconds(3))).isFalse();
        waiting.claim("ecs", now.plusSeconds(5));
        ledger.update(waiting);
        Run again = ledger.get(run.id());
        assertThat(again.attempts()).singleElement().satisfies(attempt -> assertThat(attempt.launchTries())
                .isEqualTo(2));
        assertThat(again.nextAttemptAt()).isNull();
    }

    @Test
    void aStoppingRunKeepsItsStopCauseAndDeadline() {
        Run run = newRun("hello", Map.of());
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("local", now);
        claimed.started(new TaskHandle("local", "5@5"), now);
        claimed.cancel(
                "operator",
                io.batchgate.runner.run.StopCause.CANCEL,
                new io.batchgate.catalog.Timeouts(Optional.empty(), Optional.empty(), Duration.ofSeconds(30)),
                now);
        ledger.update(claimed);
        Run loaded = ledger.get(run.id());
        assertThat(loaded.status()).isEqualTo(RunStatus.STOPPING);
        assertThat(loaded.currentAttempt().stopCause()).isEqualTo(io.batchgate.runner.run.StopCause.CANCEL);
        assertThat(loaded.currentAttempt().stopRequestedAt()).isEqualTo(now.truncatedTo(timePrecision()));
        assertThat(loaded.deadline()).isEqualTo(now.plusSeconds(30).truncatedTo(timePrecision()));
        assertThat(ledger.withDeadlineBefore(now.plusSeconds(29), 10)).doesNotContain(run.id());
        assertThat(ledger.withDeadlineBefore(now.plusSeconds(31), 10)).contains(run.id());
    }

    @Test
    void springBatchRecordsEachAttemptAsAnExecutionOfTheRunsInstance() throws Exception {
        JobRepository jobRepository = jobRepository(new DataSourceTransactionManager(dataSource));
        SpringBatchAttemptRecorder recorder = new SpringBatchAttemptRecorder(
                jobRepository,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                dataSource,
                "BATCH_");

        Run run = newRun("exit-with", Map.of("CODE", "3"));
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("local", now);
        long executionId = recorder.opened(claimed, claimed.currentAttempt());
        assertThat(jobRepository.getJobExecution(executionId).getStatus()).isEqualTo(BatchStatus.STARTED);
        claimed.recordExecution(executionId);
        claimed.started(new TaskHandle("local", "1@1"), now);
        claimed.finished(TaskExit.code(3), ExitCodePolicy.defaults(), now.plusSeconds(1));
        recorder.closed(executionId, claimed.currentAttempt(), false);
        recorder.closed(executionId, claimed.currentAttempt(), false);

        JobExecution execution = jobRepository.getJobExecution(executionId);
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo("FAILED");
        assertThat(execution.getExitStatus().getExitDescription()).isEqualTo("exit code 3");
        assertThat(execution.getExecutionContext().getInt("batchgate.exitCode")).isEqualTo(3);
        assertThat(execution.getJobInstance().getJobName()).isEqualTo("exit-with");
        assertThat(execution.getJobParameters().getString("batchgate.runId"))
                .isEqualTo(run.id().value());
        assertThat(jobRepository.getJobExecutions(execution.getJobInstance())).hasSize(1);
        // created at the claim, which is also its start: never created after it started
        Map<String, Object> times = JdbcClient.create(dataSource)
                .sql("SELECT CREATE_TIME, START_TIME, END_TIME FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?")
                .param(executionId)
                .query()
                .singleRow();
        java.time.LocalDateTime created = timestamp(times, "CREATE_TIME");
        java.time.LocalDateTime started = timestamp(times, "START_TIME");
        assertThat(created).isBeforeOrEqualTo(started);
        assertThat(started).isBeforeOrEqualTo(timestamp(times, "END_TIME"));
    }

    private static java.time.LocalDateTime timestamp(Map<String, Object> row, String column) {
        Object value = row.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(column))
                .findFirst()
                .orElseThrow()
                .getValue();
        return value instanceof java.sql.Timestamp t ? t.toLocalDateTime() : (java.time.LocalDateTime) value;
    }

    /** Closing an execution is one transaction (it was three: read, context, status), one commit on MariaDB. */
    @Test
    void closingASpringBatchExecutionCommitsOnce() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        DataSourceTransactionManager counting = countingCommits(commits);
        JobRepository jobRepository = jobRepository(counting);
        SpringBatchAttemptRecorder recorder =
                new SpringBatchAttemptRecorder(jobRepository, new TransactionTemplate(counting), dataSource, "BATCH_");

        Run run = newRun("exit-with", Map.of("CODE", "0"));
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("local", now);
        long executionId = recorder.opened(claimed, claimed.currentAttempt());
        claimed.recordExecution(executionId);
        claimed.started(new TaskHandle("local", "1@1"), now);
        claimed.finished(TaskExit.code(0), ExitCodePolicy.defaults(), now.plusSeconds(1));

        commits.set(0);
        recorder.closed(executionId, claimed.currentAttempt(), true);

        assertThat(commits).hasValue(1);
        JobExecution execution = jobRepository.getJobExecution(executionId);
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExecutionContext().getInt("batchgate.exitCode")).isEqualTo(0);
    }

    /**
     * The launcher opens an attempt's execution inside the claim's transaction: one commit for the
     * claim and the execution, and a claim that is rolled back takes its execution with it.
     */
    @Test
    void anExecutionOpenedInTheClaimsTransactionCommitsAndRollsBackWithIt() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        DataSourceTransactionManager counting = countingCommits(commits);
        JobRepository jobRepository = jobRepository(counting);
        SpringBatchAttemptRecorder recorder =
                new SpringBatchAttemptRecorder(jobRepository, new TransactionTemplate(counting), dataSource, "BATCH_");
        TransactionTemplate claimTx = new TransactionTemplate(counting);

        Run kept = newRun("exit-with", Map.of("CODE", "0"));
        ledger.insert(kept);
        commits.set(0);
        long keptExecution = claimTx.execute(status -> {
            Run claimed = ledger.get(kept.id());
            claimed.claim("local", now);
            ledger.update(claimed); // the claim first: a loser stops here, before any execution exists
            long executionId = recorder.opened(claimed, claimed.currentAttempt());
            ledger.recordExecution(claimed.id(), claimed.currentAttempt().number(), executionId);
            return executionId;
        });
        assertThat(commits).hasValue(1);
        assertThat(ledger.get(kept.id()).currentAttempt().jobExecutionId()).isEqualTo(keptExecution);
        assertThat(jobRepository.getJobExecution(keptExecution).getStatus()).isEqualTo(BatchStatus.STARTED);

        Run lost = newRun("exit-with", Map.of("CODE", "0"));
        ledger.insert(lost);
        long lostExecution = claimTx.execute(status -> {
            Run claimed = ledger.get(lost.id());
            claimed.claim("local", now);
            ledger.update(claimed);
            long executionId = recorder.opened(claimed, claimed.currentAttempt());
            status.setRollbackOnly(); // e.g. the task runtime's answer could not be recorded
            return executionId;
        });
        assertThat(JdbcClient.create(dataSource)
                        .sql("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?")
                        .param(lostExecution)
                        .query(Long.class)
                        .single())
                .as("the lost claim's execution")
                .isZero();
        assertThat(jobRepository.getJobInstance(
                        "exit-with",
                        new org.springframework.batch.core.job.parameters.JobParametersBuilder()
                                .addString("batchgate.runId", lost.id().value(), true)
                                .toJobParameters()))
                .as("the lost claim's job instance")
                .isNull();
        assertThat(ledger.get(lost.id()).status()).isEqualTo(RunStatus.QUEUED);
    }

    /**
     * Commits as the database sees them (every {@link Connection#commit()}, on any connection): a
     * claim that opens its attempt's Spring Batch execution commits once. Spring Batch's MySQL
     * incrementers drew each id on a connection of their own and committed it there: three
     * commits per claim on MariaDB.
     */
    @Test
    void aClaimWithItsExecutionIsOneCommitOnTheWire() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        DataSource counted = commitsCounted(dataSource, commits);
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(counted);
        SpringBatchAttemptRecorder recorder = new SpringBatchAttemptRecorder(
                JoiningJobRepository.create(counted, transactionManager, "BATCH_", Isolation.READ_COMMITTED),
                new TransactionTemplate(transactionManager),
                counted,
                "BATCH_");
        RunLedger countedLedger =
                new RunLedger(JdbcClient.create(counted), JsonMapper.builder().build());
        TransactionTemplate claimTx = new TransactionTemplate(transactionManager);
        List<Long> executions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (i == 1) {
                commits.set(0); // the first may reserve a block of job instance ids
            }
            Run run = newRun("exit-with", Map.of("CODE", "0"));
            ledger.insert(run);
            executions.add(claimTx.execute(status -> {
                Run claimed = countedLedger.get(run.id());
                claimed.claim("local", now);
                countedLedger.update(claimed);
                long executionId = recorder.opened(claimed, claimed.currentAttempt());
                countedLedger.recordExecution(
                        claimed.id(), claimed.currentAttempt().number(), executionId);
                return executionId;
            }));
        }
        assertThat(commits).as("commits for 3 claims").hasValue(3);
        assertThat(executions).as("execution ids in creation order").isSorted().doesNotHaveDuplicates();
    }

    /**
     * Closing an attempt's execution is two statements (its row, its context with the exit code);
     * through JobRepository's reads and version checks it was nine. Opening it: the instance looked
     * up and created, the execution, its parameters and context inserted, and one UPDATE.
     */
    @Test
    void openingAndClosingAnExecutionTakeFewStatements() throws Exception {
        AtomicInteger statements = new AtomicInteger();
        DataSource counted = counted(dataSource, new AtomicInteger(), statements);
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(counted);
        JobRepository jobRepository =
                JoiningJobRepository.create(counted, transactionManager, "BATCH_", Isolation.READ_COMMITTED);
        SpringBatchAttemptRecorder recorder = new SpringBatchAttemptRecorder(
                jobRepository, new TransactionTemplate(transactionManager), counted, "BATCH_");
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        List<Integer> opening = new ArrayList<>();
        List<Integer> closing = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // the first may reserve a block of job instance ids
            Run run = newRun("exit-with", Map.of("CODE", "3"));
            ledger.insert(run);
            Run claimed = ledger.get(run.id());
            claimed.claim("local", now);
            statements.set(0);
            long executionId = tx.execute(status -> recorder.opened(claimed, claimed.currentAttempt()));
            opening.add(statements.getAndSet(0));
            claimed.started(new TaskHandle("local", "1"), now);
            claimed.finished(TaskExit.code(3), ExitCodePolicy.defaults(), now.plusSeconds(1));
            recorder.closed(executionId, claimed.currentAttempt(), claimed.status());
            closing.add(statements.getAndSet(0));
            recorder.closed(executionId, claimed.currentAttempt(), claimed.status()); // twice: nothing changes
            JobExecution closed = jobRepository.getJobExecution(executionId);
            assertThat(closed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(closed.getExitStatus().getExitDescription()).isEqualTo("exit code 3");
            assertThat(closed.getExecutionContext().getInt("batchgate.exitCode"))
                    .isEqualTo(3);
        }
        assertThat(opening.get(1)).as("statements to open an execution").isLessThanOrEqualTo(9);
        assertThat(closing.get(1)).as("statements to close an execution").isEqualTo(2);
    }

    /** A run's first claim creates its job instance without looking it up first: one statement fewer. */
    @Test
    void aFirstClaimOpensItsExecutionWithoutLookingItsInstanceUp() throws Exception {
        AtomicInteger statements = new AtomicInteger();
        DataSource counted = counted(dataSource, new AtomicInteger(), statements);
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(counted);
        SpringBatchAttemptRecorder recorder = new SpringBatchAttemptRecorder(
                JoiningJobRepository.create(counted, transactionManager, "BATCH_", Isolation.READ_COMMITTED),
                new TransactionTemplate(transactionManager),
                counted,
                "BATCH_");
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        List<Integer> looked = new ArrayList<>();
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // the first may reserve a block of job instance ids
            Run a = newRun("exit-with", Map.of("CODE", "0"));
            Run b = newRun("exit-with", Map.of("CODE", "0"));
            a.claim("local", now);
            b.claim("local", now);
            statements.set(0);
            tx.execute(status -> recorder.opened(a, a.currentAttempt()));
            looked.add(statements.getAndSet(0));
            tx.execute(status -> recorder.openedOnFirstClaim(b, b.currentAttempt()));
            first.add(statements.getAndSet(0));
        }
        assertThat(first.get(2)).as("statements on a first claim").isEqualTo(looked.get(2) - 1);
    }

    /**
     * The ends of one tracking sweep are recorded together: one commit for all of them (one per end
     * before), each run ended as alone, its Spring Batch execution closed; an end reported again
     * changes nothing.
     */
    @Test
    void endsReportedTogetherAreRecordedInOneTransaction(@TempDir Path catalogDir) throws Exception {
        TestCatalogs.load(catalogDir, """
                jobs:
                  exit-with:
                    local: { command: ["true"] }
                """);
        AtomicInteger commits = new AtomicInteger();
        DataSource counted = commitsCounted(dataSource, commits);
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(counted);
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        JdbcClient jdbc = JdbcClient.create(counted);
        RunLedger countedLedger = new RunLedger(jdbc, JsonMapper.builder().build());
        JobRepository jobRepository =
                JoiningJobRepository.create(counted, transactionManager, "BATCH_", Isolation.READ_COMMITTED);
        SpringBatchAttemptRecorder recorder = new SpringBatchAttemptRecorder(jobRepository, tx, counted, "BATCH_");
        AttemptTracker tracker = new AttemptTracker(
                countedLedger,
                new Outbox(jdbc),
                new CurrentCatalog(catalogDir, new CatalogLoader()),
                recorder,
                new FullJitter(new Random(1)),
                new JobSlots(jdbc),
                tx,
                Clock.fixed(now.plusSeconds(5), ZoneOffset.UTC));
        List<TaskExitSink.Ended> ends = new ArrayList<>();
        Map<RunId, Long> executions = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Run run = newRun("exit-with", Map.of());
            ledger.insert(run);
            Run claimed = ledger.get(run.id());
            claimed.claim("local", now);
            ledger.update(claimed);
            long executionId = tx.execute(status -> recorder.opened(claimed, claimed.currentAttempt()));
            ledger.recordExecution(run.id(), 1, executionId);
            executions.put(run.id(), executionId);
            Run started = ledger.get(run.id());
            started.started(new TaskHandle("local", i + "@1"), now.plusSeconds(1));
            ledger.update(started);
            ends.add(new TaskExitSink.Ended(new AttemptRef(run.id(), 1), TaskExit.code(i == 3 ? 1 : 0)));
        }
        commits.set(0);
        tracker.exitedAll(ends);
        assertThat(commits).as("commits for 4 ends").hasValue(1);
        for (TaskExitSink.Ended ended : ends) {
            Run run = ledger.get(ended.attempt().runId());
            assertThat(run.status()).isEqualTo(ended == ends.get(3) ? RunStatus.FAILED : RunStatus.SUCCEEDED);
            assertThat(jobRepository.getJobExecution(executions.get(run.id())).getStatus())
                    .isEqualTo(ended == ends.get(3) ? BatchStatus.FAILED : BatchStatus.COMPLETED);
        }
        tracker.exitedAll(ends); // reported again: nothing changes
        assertThat(ledger.get(ends.get(0).attempt().runId()).timeline()).hasSize(4);
    }

    /** The data source, counting every commit made on its connections. */
    private static DataSource commitsCounted(DataSource target, AtomicInteger commits) {
        return counted(target, commits, new AtomicInteger());
    }

    /** The data source, counting the commits and the statements (each one prepared) on its connections. */
    private static DataSource counted(DataSource target, AtomicInteger commits, AtomicInteger statements) {
        return new org.springframework.jdbc.datasource.DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                Connection connection = super.getConnection();
                return (Connection) java.lang.reflect.Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("commit")) {
                                commits.incrementAndGet();
                            } else if (method.getName().startsWith("prepare")
                                    || method.getName().equals("createStatement")) {
                                statements.incrementAndGet();
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }

    /** A transaction manager on the test's database that counts the commits it makes. */
    private DataSourceTransactionManager countingCommits(AtomicInteger commits) {
        return new DataSourceTransactionManager(dataSource) {
            @Override
            protected void doCommit(DefaultTransactionStatus status) {
                commits.incrementAndGet();
                super.doCommit(status);
            }
        };
    }

    /** The recorder's job repository, configured as batchgate's (spring.batch.jdbc.* in application.yaml). */
    private JobRepository jobRepository(DataSourceTransactionManager transactionManager) throws Exception {
        return JoiningJobRepository.create(dataSource, transactionManager, "BATCH_", Isolation.READ_COMMITTED);
    }
}
