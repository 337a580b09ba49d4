package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.monitor.Monitor;
import io.batchgate.runner.run.RunEvent.AttemptStarted;
import io.batchgate.runner.run.RunEvent.RetryScheduled;
import io.batchgate.runner.run.RunEvent.RunFinished;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats in the Healthchecks protocol, following the judged outcome: {@code /start} for every
 * attempt, {@code /log} for an attempt that failed and will be retried, and one final ping per run
 * — the success ping only when the run SUCCEEDED, {@code /<exit code>} or {@code /fail} otherwise —
 * so a retry that fixes the job pages nobody. The pings are written to the outbox in the run's
 * transaction, just before it commits; {@link HealthchecksPinger} sends them.
 */
final class HealthchecksMonitor implements Monitor {

    private static final Logger log = LoggerFactory.getLogger(HealthchecksMonitor.class);

    private final PingOutbox outbox;
    private final PingUrls urls;
    private final CurrentCatalog catalog;
    private final PingMetrics metrics;
    private final Clock clock;

    HealthchecksMonitor(PingOutbox outbox, PingUrls urls, CurrentCatalog catalog, PingMetrics metrics, Clock clock) {
        this.outbox = outbox;
        this.urls = urls;
        this.catalog = catalog;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void attemptStarted(AttemptStarted started) {
        add(started.runId(), started.job(), started.catalogVersion(), started.attempt(), Ping.Kind.START, null, "");
    }

    @Override
    public void attemptRetried(RetryScheduled retry) {
        add(
                retry.runId(),
                retry.job(),
                retry.catalogVersion(),
                retry.attempt(),
                Ping.Kind.LOG,
                null,
                header(retry.runId(), retry.job(), retry.attempt(), RunStatus.RETRY_WAIT) + " will be retried: "
                        + retry.entry().reason());
    }

    @Override
    public void runEnded(RunFinished run) {
        Integer attempt = run.attempt() == 0 ? null : run.attempt();
        String message = header(run.runId(), run.job(), run.attempt(), run.status()) + ": " + run.reason();
        if (run.status() == RunStatus.SUCCEEDED) {
            add(
                    run.runId(),
                    run.job(),
                    run.catalogVersion(),
                    attempt,
                    Ping.Kind.SUCCESS,
                    null,
                    run.warning() ? message + " (warning)" : message);
        } else if (run.status() == RunStatus.SKIPPED) {
            // never ran: the active run it gave way to reports the job's outcome
            add(run.runId(), run.job(), run.catalogVersion(), attempt, Ping.Kind.LOG, null, message);
        } else {
            Integer code = run.exitCode() != null && run.status() != RunStatus.CANCELLED
                    ? Ping.failureStatus(run.exitCode()).orElse(null)
                    : null;
            add(run.runId(), run.job(), run.catalogVersion(), attempt, Ping.Kind.FAILURE, code, message);
        }
    }

    /**
     * {@code /fail} without a run id: no run exists. The outbox row is keyed by an id derived from
     * the fire, so every replica would queue the same one (only one does: the fire is claimed).
     */
    @Override
    public void fireMissed(MissedFire missed) {
        RunId key =
                new RunId(UUID.nameUUIDFromBytes(("batchgate/schedule/" + missed.schedule() + "@" + missed.nominal())
                                .getBytes(StandardCharsets.UTF_8))
                        .toString());
        add(
                key,
                missed.job(),
                catalog.get().version(),
                null,
                Ping.Kind.FAILURE,
                null,
                Ping.MISSED_FIRE + missed.schedule() + ": the fire of " + missed.nominal() + " (business day "
                        + missed.nominalDate() + ") has no run within its grace: " + missed.reason());
    }

    private static String header(RunId runId, String job, int attempt, RunStatus status) {
        return "batchgate run " + runId + " of " + job + (attempt == 0 ? "" : " attempt " + attempt) + " " + status;
    }

    private void add(
            RunId runId,
            String job,
            String catalogVersion,
            @Nullable Integer attempt,
            Ping.Kind kind,
            @Nullable Integer exitCode,
            String message) {
        // the run's pinned definition: a job a reload removed or re-pointed still pings its own check
        Optional<URI> url = catalog.definition(job, catalogVersion).flatMap(urls::of);
        if (url.isEmpty()) {
            return;
        }
        try {
            outbox.add(runId, attempt, kind, exitCode, url.get(), message, clock.instant());
        } catch (RuntimeException e) {
            // a heartbeat must never fail the run's transition
            metrics.dropped();
            try (var context = message.startsWith(Ping.MISSED_FIRE)
                    ? RunLogContext.forJob(job)
                    : RunLogContext.of(runId).job(job)) {
                if (attempt != null) {
                    context.attempt(attempt);
                }
                log.warn("could not queue the {} ping of run {}: {}", kind, runId, e.toString());
            }
        }
    }
}
