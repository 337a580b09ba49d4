package io.batchgate.runner.batch;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
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

    private final JobRepository jobRepository;
    private final TransactionTemplate tx;

    /**
     * {@code tx} holds the reads and writes that close an execution in one transaction (Spring
     * Batch's own methods join it): three commits become one. Opening cannot be grouped this way,
     * as the repository refuses to create executions inside a caller's transaction.
     */
    public SpringBatchAttemptRecorder(JobRepository jobRepository, TransactionTemplate tx) {
        this.jobRepository = jobRepository;
        this.tx = tx;
    }

    /** Opens the execution of the run's current attempt (STARTED) and returns its id. */
    public long opened(Run run, Attempt attempt) {
        JobParameters identifying = new JobParametersBuilder()
                .addString(RUN_ID, run.id().value(), true)
                .toJobParameters();
        JobInstance instance = jobRepository.getJobInstance(run.job(), identifying);
        if (instance == null) {
            instance = jobRepository.createJobInstance(run.job(), identifying);
        }
        JobParameters parameters = new JobParametersBuilder(identifying)
                .addLong(ATTEMPT, (long) attempt.number(), false)
                .toJobParameters();
        JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
        // Spring Batch stamped the creation with its own clock a moment after the claim (and in the
        // JVM's zone): the claim is both creation and start, so CREATE_TIME never follows START_TIME.
        execution.setCreateTime(utc(attempt.launchedAt()));
        execution.setStartTime(utc(attempt.launchedAt()));
        execution.setStatus(BatchStatus.STARTED);
        jobRepository.update(execution);
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

    private void close(long executionId, Attempt attempt, RunStatus runStatus) {
        boolean succeeded = runStatus == RunStatus.SUCCEEDED;
        boolean stopped = runStatus == RunStatus.CANCELLED;
        JobExecution execution = jobRepository.getJobExecution(executionId);
        if (execution == null || !execution.isRunning()) {
            return; // already closed: recording an end twice changes nothing
        }
        String description =
                attempt.exitCode() == null ? "no exit code: " + attempt.reason() : "exit code " + attempt.exitCode();
        execution.setStatus(succeeded ? BatchStatus.COMPLETED : stopped ? BatchStatus.STOPPED : BatchStatus.FAILED);
        execution.setExitStatus((succeeded ? ExitStatus.COMPLETED : stopped ? ExitStatus.STOPPED : ExitStatus.FAILED)
                .addExitDescription(description));
        execution.setEndTime(utc(attempt.finishedAt() == null ? attempt.launchedAt() : attempt.finishedAt()));
        if (attempt.exitCode() != null) {
            execution.getExecutionContext().putInt(EXIT_CODE, attempt.exitCode());
            jobRepository.updateExecutionContext(execution);
        }
        jobRepository.update(execution);
    }

    private static LocalDateTime utc(java.time.Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
