package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.monitor.Monitor;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats in the Healthchecks protocol, following the judged outcome: {@code /start} for every
 * attempt, {@code /log} for an attempt that failed and will be retried, and one final ping per run
 * — the success ping only when the run SUCCEEDED, {@code /<exit code>} or {@code /fail} otherwise —
 * so a retry that fixes the job pages nobody. The pings are written to the outbox in the run's
 * transaction; {@link HealthchecksPinger} sends them.
 */
public final class HealthchecksMonitor implements Monitor {

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
    public void attemptStarted(Run run, Attempt attempt) {
        add(run, attempt.number(), Ping.Kind.START, null, "");
    }

    @Override
    public void attemptRetried(Run run, Attempt attempt, String reason) {
        add(run, attempt.number(), Ping.Kind.LOG, null, header(run) + " will be retried: " + reason);
    }

    @Override
    public void runEnded(Run run) {
        Attempt last = run.currentAttempt();
        Integer attempt = last == null ? null : last.number();
        String message = header(run) + ": " + run.reason();
        if (run.status() == RunStatus.SUCCEEDED) {
            add(run, attempt, Ping.Kind.SUCCESS, null, run.warning() ? message + " (warning)" : message);
        } else if (run.status() == RunStatus.SKIPPED) {
            // never ran: the active run it gave way to reports the job's outcome
            add(run, attempt, Ping.Kind.LOG, null, message);
        } else {
            Integer code = run.exitCode() != null && run.status() != RunStatus.CANCELLED
                    ? Ping.failureStatus(run.exitCode()).orElse(null)
                    : null;
            add(run, attempt, Ping.Kind.FAILURE, code, message);
        }
    }

    private static String header(Run run) {
        Attempt last = run.currentAttempt();
        return "batchgate run " + run.id() + " of " + run.job() + (last == null ? "" : " attempt " + last.number())
                + " " + run.status();
    }

    private void add(Run run, @Nullable Integer attempt, Ping.Kind kind, @Nullable Integer exitCode, String message) {
        Optional<URI> url = catalog.get().job(run.job()).flatMap(urls::of);
        if (url.isEmpty()) {
            return;
        }
        try {
            outbox.add(run.id(), attempt, kind, exitCode, url.get(), message, clock.instant());
        } catch (RuntimeException e) {
            // a heartbeat must never fail the run's transition
            metrics.dropped();
            log.warn("could not queue the {} ping of run {}: {}", kind, run.id(), e.toString());
        }
    }
}
