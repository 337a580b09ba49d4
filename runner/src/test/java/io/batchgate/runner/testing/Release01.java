package io.batchgate.runner.testing;

import io.batchgate.runner.batch.JoiningJobRepository;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.jspecify.annotations.Nullable;
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

/**
 * A database as release 0.1 left it: its schema from the frozen copy of its changelog ({@code
 * upgrade/0.1/}, the changelog as round one closed it at commit 3c94b4f), and rows written the way
 * its RunLedger, Outbox, audit trail, heartbeat outbox and SpringBatchAttemptRecorder wrote them.
 * {@link #upgrade} then runs the current changelog, as a new replica does at start-up.
 */
public final class Release01 {

    public static final String CHANGELOG = "classpath:db/changelog/batchgate-changelog.yaml";
    public static final String FROZEN_CHANGELOG = "upgrade/0.1/batchgate-changelog.yaml";

    /** When the rows were written. */
    public static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final JdbcClient jdbc;
    private final JobRepository jobRepository;

    private Release01(DataSource dataSource) throws Exception {
        this.jdbc = JdbcClient.create(dataSource);
        this.jobRepository = JoiningJobRepository.create(
                dataSource, new DataSourceTransactionManager(dataSource), "BATCH_", Isolation.READ_COMMITTED);
    }

    /** Creates release 0.1's schema in an empty database and returns a writer of its rows. */
    public static Release01 schema(DataSource dataSource) throws Exception {
        migrate(dataSource, new FrozenChangelog(FROZEN_CHANGELOG));
        return new Release01(dataSource);
    }

    /** Upgrades to the current changelog. */
    public static void upgrade(DataSource dataSource) throws Exception {
        migrate(dataSource, new DefaultResourceLoader());
    }

    private int sequence;

    public RunId run(
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

    public void attempt(RunId run, int number, AttemptOutcome outcome, @Nullable Integer exitCode, BatchStatus batch) {
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
    public void timeline(RunId run, RunStatus... after) {
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

    public void outbox(RunId run, Instant availableAt) {
        jdbc.sql("INSERT INTO bg_outbox (run_id, created_at, available_at, send_count) VALUES (:id, :now, :at, 0)")
                .param("id", run.value())
                .param("now", sql(T0))
                .param("at", sql(availableAt))
                .update();
    }

    public void waiterLease(RunId run) {
        jdbc.sql("INSERT INTO bg_waiter_lease (run_id, abandon_after_ms, seen_at) VALUES (:id, 60000, :at)")
                .param("id", run.value())
                .param("at", sql(T0))
                .update();
    }

    public void executionKey(RunId run, String key) {
        jdbc.sql("INSERT INTO bg_execution_key (requested_by, job, exec_key, run_id)"
                        + " VALUES ('scheduler', (SELECT job FROM bg_run WHERE id = :id), :key, :id)")
                .param("id", run.value())
                .param("key", key)
                .update();
    }

    public void audit(RunId run, String job) {
        jdbc.sql("INSERT INTO bg_audit (at, caller, source, action, target, job, run_id, http_status, outcome,"
                        + " params_sha256) VALUES (:at, 'scheduler', '10.0.0.7', 'trigger', :target, :job, :run,"
                        + " 202, 'written', NULL)")
                .param("at", sql(T0))
                .param("target", "POST /api/v1/jobs/" + job + "/runs")
                .param("job", job)
                .param("run", run.value())
                .update();
    }

    public void monitorPing(RunId run) {
        jdbc.sql("INSERT INTO bg_monitor_ping (run_id, attempt, kind, exit_code, ping_url, message, created_at,"
                        + " available_at) VALUES (:run, 2, 'fail', 3, 'https://hc-ping.com/uuid/3', 'exit code 3',"
                        + " :at, :at)")
                .param("run", run.value())
                .param("at", sql(T0))
                .update();
    }

    private static LocalDateTime sql(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Runs the changelog at {@link #CHANGELOG}, read through the given loader, as start-up does. */
    public static void migrate(DataSource dataSource, ResourceLoader loader) throws Exception {
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
    public static final class FrozenChangelog extends PathMatchingResourcePatternResolver {

        private final String copy;

        public FrozenChangelog(String copy) {
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
