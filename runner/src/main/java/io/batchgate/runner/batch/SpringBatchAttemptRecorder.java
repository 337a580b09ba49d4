package io.batchgate.runner.batch;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records every attempt as a Spring Batch {@link JobExecution} of the run's job instance (job name
 * = catalog job, identifying parameter = run id), so standard Spring Batch tooling reads the
 * history. Executions are opened at launch and closed when the task ends, through the
 * {@link JobRepository} — never by a step that would hold a thread for the task's whole life.
 */
public class SpringBatchAttemptRecorder {

    static final String RUN_ID = "batchgate.runId";
    static final String ATTEMPT = "batchgate.attempt";
    static final String EXIT_CODE = "batchgate.exitCode";

    /** Spring Batch's default {@code exitMessageLength}: EXIT_MESSAGE is a VARCHAR(2500). */
    private static final int EXIT_MESSAGE_LENGTH = 2500;

    private final JobRepository jobRepository;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final String executions;

    /**
     * {@code tx} holds the reads and writes that close an execution in one transaction (Spring
     * Batch's own methods join it): three commits become one. Opening cannot be grouped this way,
     * as the repository refuses to create executions inside a caller's transaction.
     */
    public SpringBatchAttemptRecorder(
            JobRepository jobRepository, TransactionTemplate tx, DataSource dataSource, String tablePrefix) {
        this.jobRepository = jobRepository;
        this.tx = tx;
        this.jdbc = JdbcClient.create(dataSource);
        this.executions = tablePrefix + "JOB_EXECUTION";
    }

    /** Opens the execution of the run's current attempt (STARTED) and returns its id. */
    public long opened(Run run, Attempt attempt) {
        return opened(run, attempt, false);
    }

    /**
     * As {@link #opened(Run, Attempt)} for the run's first claim (attempt 1, try 1, claimed in this
     * transaction): no execution of the run can exist yet, so its job instance is created without a
     * lookup of ours first (Spring Batch's create looks it up once more anyway).
     */
    public long openedOnFirstClaim(Run run, Attempt attempt) {
        return opened(run, attempt, true);
    }

    private long opened(Run run, Attempt attempt, boolean firstClaim) {
        JobParameters identifying = new JobParametersBuilder()
                .addString(RUN_ID, run.id().value(), true)
                .toJobParameters();
        JobInstance instance = firstClaim ? null : jobRepository.getJobInstance(run.job(), identifying);
        if (instance == null) {
            try {
                instance = jobRepository.createJobInstance(run.job(), identifying);
            } catch (IllegalStateException existsAlready) {
                // Spring Batch found the instance a concurrent claim of the same run committed
                // meanwhile (READ COMMITTED): use it; the claim's version check decides who has the run
                instance = jobRepository.getJobInstance(run.job(), identifying);
                if (instance == null) {
                    throw existsAlready;
                }
            }
        }
        JobParameters parameters = new JobParametersBuilder(identifying)
                .addLong(ATTEMPT, (long) attempt.number(), false)
                .toJobParameters();
        JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
        // Spring Batch stamped the creation with its own clock a moment after the claim (and in the
        // JVM's zone): the claim is both creation and start, so CREATE_TIME never follows START_TIME.
        // One UPDATE of the row just inserted, where JobRepository.update reads it twice first.
        jdbc.sql("UPDATE " + executions + " SET STATUS = :status, CREATE_TIME = :at, START_TIME = :at,"
                        + " LAST_UPDATED = :now, VERSION = VERSION + 1 WHERE JOB_EXECUTION_ID = :id")
                .param("status", BatchStatus.STARTED.name())
                .param("at", utc(attempt.launchedAt()))
                .param("now", LocalDateTime.now())
                .param("id", execution.getId())
                .update();
        return execution.getId();
    }

    /** Closes the execution as COMPLETED or FAILED. */
    public void closed(long executionId, Attempt attempt, boolean succeeded) {
        closed(executionId, attempt, succeeded ? RunStatus.SUCCEEDED : RunStatus.FAILED);
    }

    /**
     * Closes the execution with the attempt's end: COMPLETED when the run succeeded, STOPPED when
     * it was cancelled, FAILED otherwise (also for an attempt that a retry follows); the exit
     * status names the exit code, which the execution context also holds.
     */
    public void closed(long executionId, Attempt attempt, RunStatus runStatus) {
        tx.executeWithoutResult(status -> close(executionId, attempt, runStatus));
    }

    /**
     * Two statements: the execution's row, updated only while it has no end (Spring Batch's
     * "running"), and its context with the exit code. JobRepository.getJobExecution would read the
     * execution, its instance, parameters, steps and context first (seven SELECTs), and its
     * update two more.
     */
    private void close(long executionId, Attempt attempt, RunStatus runStatus) {
        boolean succeeded = runStatus == RunStatus.SUCCEEDED;
        boolean stopped = runStatus == RunStatus.CANCELLED;
        String description =
                attempt.exitCode() == null ? "no exit code: " + attempt.reason() : "exit code " + attempt.exitCode();
        ExitStatus exit = (succeeded ? ExitStatus.COMPLETED : stopped ? ExitStatus.STOPPED : ExitStatus.FAILED)
                .addExitDescription(description);
        String message = exit.getExitDescription();
        int closed = jdbc.sql("UPDATE " + executions + " SET STATUS = :status, EXIT_CODE = :exitCode,"
                        + " EXIT_MESSAGE = :message, END_TIME = :end, LAST_UPDATED = :now, VERSION = VERSION + 1"
                        + " WHERE JOB_EXECUTION_ID = :id AND END_TIME IS NULL")
                .param(
                        "status",
                        (succeeded ? BatchStatus.COMPLETED : stopped ? BatchStatus.STOPPED : BatchStatus.FAILED).name())
                .param("exitCode", exit.getExitCode())
                .param(
                        "message",
                        message.length() > EXIT_MESSAGE_LENGTH ? message.substring(0, EXIT_MESSAGE_LENGTH) : message)
                .param("end", utc(attempt.finishedAt() == null ? attempt.launchedAt() : attempt.finishedAt()))
                .param("now", LocalDateTime.now())
                .param("id", executionId)
                .update();
        if (closed == 1 && attempt.exitCode() != null) {
            // the context opened empty; written through the repository, with its serializer
            JobExecution execution =
                    new JobExecution(executionId, new JobInstance(0L, "batchgate"), new JobParameters());
            execution.getExecutionContext().putInt(EXIT_CODE, attempt.exitCode());
            jobRepository.updateExecutionContext(execution);
        }
        // closed == 0: already closed, and recording an end twice changes nothing
    }

    private static LocalDateTime utc(java.time.Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
