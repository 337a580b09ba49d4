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
import io.batchgate.runner.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
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
 * changesets: admission-source-1, catalog-version-1, secrets-at-rest-1,
 * ecs-derived-task-definition-1). A new release adds its own frozen copy and a subclass-free test
 * method here, writing the rows that release wrote.
 */
abstract class SchemaUpgradeContractTests {

    static final String CHANGELOG = "classpath:db/changelog/batchgate-changelog.yaml";
    static final String RELEASE_0_1 = "upgrade/0.1/batchgate-changelog.yaml";

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    protected abstract String newDatabaseUrl();

    private DataSource dataSource;
    private JdbcClient jdbc;
    private JobRepository jobRepository;

    @BeforeEach
    void databaseOfThePreviousRelease() throws Exception {
        dataSource = TestDatabases.dataSource(newDatabaseUrl());
        migrate(dataSource, new FrozenChangelog(RELEASE_0_1));
        jdbc = JdbcClient.create(dataSource);
        jobRepository = JoiningJobRepository.create(
                dataSource, new DataSourceTransactionManager(dataSource), "BATCH_", Isolation.READ_COMMITTED);
    }

    @Test
    void release01DataSurvivesTheUpgradeAndTheCurrentCodeCarriesOn() throws Exception {
        assertThat(columns("BG_RUN")).as("release 0.1's schema").doesNotContain("SOURCE", "SECRET_SCRUB");
        Release01 old = new Release01();
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

        migrate(dataSource, new DefaultResourceLoader());

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

    /** Rows as release 0.1's RunLedger, Outbox, audit trail and SpringBatchAttemptRecorder wrote them. */
    private final class Release01 {

        private int sequence;

        RunId run(
                String job,
                RunStatus status,
                @Nullable Integer exitCode,
                String paramsJson,
                String secretParams,
                @Nullable String idempotencyKey) {
            sequence++;
            // ids are time-ordered (UUIDv7): a later run sorts after
            RunId id = new RunId(String.format("019ab0c4-%04x-7000-8000-000000000000", sequence));
            Instant created = T0.plusSeconds(sequence);
            boolean done = status.isFinal();
            jdbc.sql("INSERT INTO bg_run (id, job, catalog_version, status, exit_code, warning, reason,"
                            + " params_json, secret_params, requested_by, idempotency_key, created_at, started_at,"
                            + " finished_at, next_attempt_at, deadline_at, version) VALUES (:id, :job, 'sha256:0123456789abcdef',"
                            + " :status, :exitCode, FALSE, :reason, :params, :secrets, 'scheduler', :key, :created,"
                            + " :started, :finished, NULL, NULL, 3)")
                    .param("id", id.value())
                    .param("job", job)
                    .param("status", status.name())
                    .param("exitCode", exitCode)
                    .param("reason", done ? "exit code " + exitCode : "")
                    .param("params", paramsJson)
                    .param("secrets", secretParams)
                    .param("key", idempotencyKey)
                    .param("created", sql(created))
                    .param("started", status == RunStatus.QUEUED ? null : sql(created.plusSeconds(1)))
                    .param("finished", done ? sql(created.plusSeconds(2)) : null)
                    .update();
            return id;
        }

        void attempt(RunId run, int number, AttemptOutcome outcome, @Nullable Integer exitCode, BatchStatus batch) {
            Instant launched = T0.plusSeconds(10L * number);
            long execution = execution(run, number, batch, exitCode, launched);
            jdbc.sql("INSERT INTO bg_attempt (run_id, number, runtime, launch_tries, task_handle, job_execution_id,"
                            + " launched_at, started_at, finished_at, exit_code, outcome, reason, stop_cause,"
                            + " stop_requested_at) VALUES (:run, :number, 'local', 1, :handle, :execution, :launched,"
                            + " :launched, :finished, :exitCode, :outcome, :reason, NULL, NULL)")
                    .param("run", run.value())
                    .param("number", number)
                    .param("handle", "local:" + (4710 + number) + "@" + number)
                    .param("execution", execution)
                    .param("launched", sql(launched))
                    .param("finished", outcome == AttemptOutcome.ACTIVE ? null : sql(launched.plusSeconds(1)))
                    .param("exitCode", exitCode)
                    .param("outcome", outcome.name())
                    .param("reason", exitCode == null ? "" : "exited with code " + exitCode)
                    .update();
        }

        /** As release 0.1's SpringBatchAttemptRecorder: opened at the launch, closed at the end. */
        private long execution(RunId run, int attempt, BatchStatus status, @Nullable Integer exitCode, Instant at) {
            String job = jdbc.sql("SELECT job FROM bg_run WHERE id = :id")
                    .param("id", run.value())
                    .query(String.class)
                    .single();
            JobParameters identifying = new JobParametersBuilder()
                    .addString("batchgate.runId", run.value(), true)
                    .toJobParameters();
            JobInstance instance = jobRepository.getJobInstance(job, identifying);
            if (instance == null) {
                instance = jobRepository.createJobInstance(job, identifying);
            }
            JobParameters parameters = new JobParametersBuilder(identifying)
                    .addLong("batchgate.attempt", (long) attempt, false)
                    .toJobParameters();
            JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
            execution.setStartTime(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            execution.setStatus(BatchStatus.STARTED);
            jobRepository.update(execution);
            if (status != BatchStatus.STARTED) {
                execution.setStatus(status);
                execution.setExitStatus((status == BatchStatus.COMPLETED ? ExitStatus.COMPLETED : ExitStatus.FAILED)
                        .addExitDescription("exit code " + exitCode));
                execution.setEndTime(LocalDateTime.ofInstant(at.plusSeconds(1), ZoneOffset.UTC));
                execution.getExecutionContext().putInt("batchgate.exitCode", exitCode);
                jobRepository.updateExecutionContext(execution);
                jobRepository.update(execution);
            }
            return execution.getId();
        }

        /** QUEUED, LAUNCHING, RUNNING, then the given statuses, each from the one before. */
        void timeline(RunId run, RunStatus... after) {
            List<RunStatus> statuses = new java.util.ArrayList<>();
            statuses.add(RunStatus.QUEUED);
            String status = jdbc.sql("SELECT status FROM bg_run WHERE id = :id")
                    .param("id", run.value())
                    .query(String.class)
                    .single();
            if (!status.equals("QUEUED") && !status.equals("CANCELLED")) {
                statuses.add(RunStatus.LAUNCHING);
                statuses.add(RunStatus.RUNNING);
            }
            statuses.addAll(List.of(after));
            for (int seq = 1; seq <= statuses.size(); seq++) {
                jdbc.sql("INSERT INTO bg_run_event (run_id, seq, at, from_status, to_status, reason)"
                                + " VALUES (:run, :seq, :at, :from, :to, :reason)")
                        .param("run", run.value())
                        .param("seq", seq)
                        .param("at", sql(T0.plusSeconds(seq)))
                        .param("from", seq == 1 ? null : statuses.get(seq - 2).name())
                        .param("to", statuses.get(seq - 1).name())
                        .param("reason", seq == 1 ? "triggered by scheduler" : "step " + seq)
                        .update();
            }
        }

        void outbox(RunId run, Instant availableAt) {
            jdbc.sql("INSERT INTO bg_outbox (run_id, created_at, available_at, send_count) VALUES (:id, :now, :at, 0)")
                    .param("id", run.value())
                    .param("now", sql(T0))
                    .param("at", sql(availableAt))
                    .update();
        }

        void waiterLease(RunId run) {
            jdbc.sql("INSERT INTO bg_waiter_lease (run_id, abandon_after_ms, seen_at) VALUES (:id, 60000, :at)")
                    .param("id", run.value())
                    .param("at", sql(T0))
                    .update();
        }

        void executionKey(RunId run, String key) {
            jdbc.sql("INSERT INTO bg_execution_key (requested_by, job, exec_key, run_id)"
                            + " VALUES ('scheduler', (SELECT job FROM bg_run WHERE id = :id), :key, :id)")
                    .param("id", run.value())
                    .param("key", key)
                    .update();
        }

        void audit(RunId run, String job) {
            jdbc.sql("INSERT INTO bg_audit (at, caller, source, action, target, job, run_id, http_status, outcome,"
                            + " params_sha256) VALUES (:at, 'scheduler', '10.0.0.7', 'trigger', :target, :job, :run,"
                            + " 202, 'written', NULL)")
                    .param("at", sql(T0))
                    .param("target", "POST /api/v1/jobs/" + job + "/runs")
                    .param("job", job)
                    .param("run", run.value())
                    .update();
        }

        void monitorPing(RunId run) {
            jdbc.sql("INSERT INTO bg_monitor_ping (run_id, attempt, kind, exit_code, ping_url, message, created_at,"
                            + " available_at) VALUES (:run, 2, 'fail', 3, 'https://hc-ping.com/uuid/3', 'exit code 3',"
                            + " :at, :at)")
                    .param("run", run.value())
                    .param("at", sql(T0))
                    .update();
        }
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

    /** Runs the changelog at {@link #CHANGELOG}, read through the given loader, as start-up does. */
    static void migrate(DataSource dataSource, ResourceLoader loader) throws Exception {
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(dataSource);
        liquibase.setChangeLog(CHANGELOG);
        liquibase.setResourceLoader(loader);
        liquibase.afterPropertiesSet();
    }

    /**
     * Serves a frozen copy in place of the current changelog, under the current one's path:
     * Liquibase records changesets by id, author and path, so the upgrade sees them as applied.
     * (Liquibase looks the changelog up as a {@code classpath*:} pattern, hence a pattern resolver.)
     */
    static final class FrozenChangelog extends PathMatchingResourcePatternResolver {

        private final String copy;

        FrozenChangelog(String copy) {
            this.copy = copy;
        }

        @Override
        public Resource getResource(String location) {
            return isChangelog(location) ? new ClassPathResource(copy) : super.getResource(location);
        }

        @Override
        public Resource[] getResources(String pattern) throws java.io.IOException {
            return isChangelog(pattern) ? new Resource[] {new ClassPathResource(copy)} : super.getResources(pattern);
        }

        private static boolean isChangelog(String location) {
            return location.endsWith("db/changelog/batchgate-changelog.yaml");
        }
    }
}
