package io.batchgate.runner.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.runner.batch.JoiningJobRepository;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.ledger.ExecutionKeys;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.RunPage;
import io.batchgate.runner.ledger.RunQuery;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.testing.Release01;
import io.batchgate.runner.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * An upgrade keeps the data: a database created by the previous release's changelog (a frozen copy
 * under {@code upgrade/<release>/}), filled the way that release wrote its rows, is upgraded by the
 * current changelog — as a new replica does at start-up — and the current code reads and continues
 * what it finds: runs in every kind of status, their attempts and timelines, Spring Batch's
 * history, the outbox, idempotency and execution keys, waiter leases, audit and heartbeat rows.
 *
 * <p>Release 0.1 is the state round one closed with (commit 3c94b4f, the last before round two's
 * 11 changesets, admission-source-1 to netwait-1). A new release adds its own frozen copy and a subclass-free test
 * method here, writing the rows that release wrote.
 */
abstract class SchemaUpgradeContractTests {

    private static final Instant T0 = Release01.T0;

    protected abstract String newDatabaseUrl();

    private DataSource dataSource;
    private JdbcClient jdbc;
    private JobRepository jobRepository;
    private Release01 old;

    @BeforeEach
    void databaseOfThePreviousRelease() throws Exception {
        dataSource = TestDatabases.dataSource(newDatabaseUrl());
        old = Release01.schema(dataSource);
        jdbc = JdbcClient.create(dataSource);
        jobRepository = JoiningJobRepository.create(
                dataSource, new DataSourceTransactionManager(dataSource), "BATCH_", Isolation.READ_COMMITTED);
    }

    @Test
    void release01DataSurvivesTheUpgradeAndTheCurrentCodeCarriesOn() throws Exception {
        assertThat(columns("BG_RUN")).as("release 0.1's schema").doesNotContain("SOURCE", "SECRET_SCRUB");
        RunId succeeded = old.run("hello", RunStatus.SUCCEEDED, 0, "{\"GREETING\":\"Hi\"}", "", "key-1");
        old.attempt(succeeded, 1, AttemptOutcome.EXITED, 0, BatchStatus.COMPLETED);
        old.timeline(succeeded, RunStatus.SUCCEEDED);
        RunId failed = old.run("exit-with", RunStatus.FAILED, 3, "{\"CODE\":\"3\"}", "", null);
        old.attempt(failed, 1, AttemptOutcome.EXITED, 3, BatchStatus.FAILED);
        old.attempt(failed, 2, AttemptOutcome.EXITED, 3, BatchStatus.FAILED);
        old.timeline(
                failed,
                RunStatus.RETRY_WAIT,
                RunStatus.QUEUED,
                RunStatus.LAUNCHING,
                RunStatus.RUNNING,
                RunStatus.FAILED);
        RunId running = old.run("sleepy", RunStatus.RUNNING, null, "{}", "", null);
        old.attempt(running, 1, AttemptOutcome.ACTIVE, null, BatchStatus.STARTED);
        old.timeline(running);
        jdbc.sql("UPDATE bg_run SET deadline_at = :at WHERE id = :id")
                .param("at", sql(T0.plusSeconds(3600)))
                .param("id", running.value())
                .update();
        old.waiterLease(running);
        old.executionKey(running, "AJS-4711");
        RunId queued =
                old.run("with-secret", RunStatus.QUEUED, null, "{\"NAME\":\"a\",\"TOKEN\":\"s3cret\"}", "TOKEN", null);
        old.timeline(queued);
        old.outbox(queued, T0);
        RunId retrying = old.run("exit-with", RunStatus.RETRY_WAIT, null, "{\"CODE\":\"1\"}", "", null);
        old.attempt(retrying, 1, AttemptOutcome.EXITED, 1, BatchStatus.FAILED);
        old.timeline(retrying, RunStatus.RETRY_WAIT);
        jdbc.sql("UPDATE bg_run SET next_attempt_at = :at WHERE id = :id")
                .param("at", sql(T0.plusSeconds(60)))
                .param("id", retrying.value())
                .update();
        old.outbox(retrying, T0.plusSeconds(60));
        RunId cancelled = old.run("sleepy", RunStatus.CANCELLED, null, "{}", "", null);
        old.timeline(cancelled, RunStatus.CANCELLED);
        old.audit(succeeded, "hello");
        old.audit(cancelled, "sleepy");
        old.monitorPing(failed);

        Release01.upgrade(dataSource);

        assertThat(columns("BG_RUN")).contains("SOURCE", "SECRET_SCRUB");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'batchgate-runs-1'")
                        .query(Integer.class)
                        .single())
                .as("the frozen changesets are recognised, not run again")
                .isEqualTo(1);
        RunLedger ledger = new RunLedger(jdbc, JsonMapper.builder().build());

        Run done = ledger.get(succeeded);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.exitCode()).isZero();
        assertThat(done.params()).containsExactly(Map.entry("GREETING", "Hi"));
        assertThat(done.requestedBy()).isEqualTo("scheduler");
        assertThat(done.source().value())
                .as("runs before sources were all HTTP triggers")
                .isEqualTo("api");
        assertThat(done.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.EXITED);
            assertThat(attempt.exitCode()).isZero();
            assertThat(attempt.handle()).isEqualTo(new TaskHandle("local", "4711@1"));
            assertThat(attempt.jobExecutionId()).isNotNull();
            assertThat(attempt.log().complete()).isFalse();
        });
        assertThat(done.timeline())
                .extracting(entry -> entry.to())
                .containsExactly(RunStatus.QUEUED, RunStatus.LAUNCHING, RunStatus.RUNNING, RunStatus.SUCCEEDED);
        assertThat(ledger.findByIdempotencyKey("scheduler", "hello", "key-1"))
                .map(Run::id)
                .contains(succeeded);

        Run failedRun = ledger.get(failed);
        assertThat(failedRun.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failedRun.attempts()).extracting(a -> a.exitCode()).containsExactly(3, 3);
        assertThat(failedRun.attempts()).allSatisfy(attempt -> assertThat(
                        jobRepository.getJobExecution(attempt.jobExecutionId()).getStatus())
                .isEqualTo(BatchStatus.FAILED));

        JobParameters identifying = new JobParametersBuilder()
                .addString("batchgate.runId", failed.value(), true)
                .toJobParameters();
        JobInstance instance = jobRepository.getJobInstance("exit-with", identifying);
        assertThat(instance).as("Spring Batch finds the run's job instance").isNotNull();
        assertThat(jobRepository.getJobExecutions(instance)).hasSize(2);
        JobExecution first =
                jobRepository.getJobExecution(failedRun.attempts().get(0).jobExecutionId());
        assertThat(first.getExitStatus().getExitDescription()).isEqualTo("exit code 3");
        assertThat(first.getExecutionContext().getInt("batchgate.exitCode")).isEqualTo(3);

        RunPage page = ledger.page(new RunQuery(Optional.empty(), Optional.empty(), List.of(), 50, Optional.empty()));
        assertThat(page.runs())
                .extracting(Run::id)
                .as("newest first")
                .containsExactly(cancelled, retrying, queued, running, failed, succeeded);
        assertThat(ledger.page(new RunQuery(
                                Optional.of("exit-with"),
                                Optional.of(RunStatus.FAILED),
                                List.of(),
                                50,
                                Optional.empty()))
                        .runs())
                .extracting(Run::id)
                .containsExactly(failed);

        Outbox outbox = new Outbox(jdbc);
        assertThat(outbox.due(T0.plusSeconds(1), Duration.ofMinutes(5), 10)).containsExactly(queued);
        assertThat(outbox.due(T0.plusSeconds(61), Duration.ofMinutes(5), 10))
                .containsExactlyInAnyOrder(queued, retrying);
        assertThat(new WaiterLeases(jdbc).expired(T0.plusSeconds(3600), 10)).contains(running);
        assertThat(new ExecutionKeys(jdbc).latest("scheduler", "sleepy", "AJS-4711"))
                .contains(running);
        assertThat(ledger.withDeadlineBefore(T0.plusSeconds(3601), 10)).contains(running);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bg_audit WHERE run_source IS NULL")
                        .query(Integer.class)
                        .single())
                .as("audit rows, without a run source")
                .isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bg_monitor_ping")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);

        // the current code continues the runs release 0.1 left active
        SpringBatchAttemptRecorder recorder = new SpringBatchAttemptRecorder(
                jobRepository,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                dataSource,
                "BATCH_");
        Instant now = T0.plusSeconds(120);
        Run stillRunning = ledger.get(running);
        assertThat(stillRunning.currentAttempt().outcome()).isEqualTo(AttemptOutcome.ACTIVE);
        stillRunning.finished(TaskExit.code(0), ExitCodePolicy.defaults(), now);
        ledger.update(stillRunning);
        recorder.closed(
                stillRunning.currentAttempt().jobExecutionId(), stillRunning.currentAttempt(), RunStatus.SUCCEEDED);
        assertThat(ledger.get(running).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(jobRepository
                        .getJobExecution(stillRunning.currentAttempt().jobExecutionId())
                        .getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        Run waiting = ledger.get(queued);
        assertThat(waiting.maskedParams()).containsEntry("TOKEN", "******").containsEntry("NAME", "a");
        assertThat(ledger.launchParams(waiting))
                .as("a secret stored in clear by 0.1 still reaches its launch")
                .containsEntry("TOKEN", "s3cret");
        waiting.claim("local", now);
        long execution = recorder.opened(waiting, waiting.currentAttempt());
        waiting.recordExecution(execution);
        waiting.started(new TaskHandle("local", "4712@2"), now);
        ledger.update(waiting);
        Run launched = ledger.get(queued);
        assertThat(launched.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(launched.currentAttempt().jobExecutionId()).isEqualTo(execution);
        assertThat(launched.source().value()).isEqualTo("api");
    }

    private List<String> columns(String table) throws Exception {
        try (var connection = dataSource.getConnection();
                var rows = connection.getMetaData().getColumns(connection.getCatalog(), null, null, null)) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                if (rows.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    names.add(rows.getString("COLUMN_NAME").toUpperCase(java.util.Locale.ROOT));
                }
            }
            return names;
        }
    }

    private static LocalDateTime sql(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
