package io.batchgate.runner.metrics;

import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Counts and times runs per job from their events, after commit: a transition is stored, and
 * counted, by exactly one replica, so the replicas' counters add up to the whole (sum them, see
 * README "Metrics"); a counter alone counts what its replica did.
 */
public final class RunMetrics implements RunEventListener {

    /**
     * The histogram buckets of attempt durations: batch jobs run from seconds to a day, and 16
     * buckets resolve that well enough for p50/p95/p99 (Micrometer's own percentile histogram
     * would publish 89 buckets per job between 100 ms and 24 h).
     */
    static final Duration[] ATTEMPT_BUCKETS = {
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
        Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24)
    };

    /** Time in the queue: milliseconds when idle, minutes behind a concurrency limit (14 buckets, not 83). */
    static final Duration[] WAIT_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofHours(1)
    };

    private final MeterRegistry meters;
    private final JobTags jobs;

    public RunMetrics(MeterRegistry meters, JobTags jobs) {
        this.meters = meters;
        this.jobs = jobs;
    }

    @Override
    public void on(RunEvent event) {
        String job = jobs.of(event.job());
        if (event instanceof RunEvent.RunAccepted) {
            counter("batchgate.runs.accepted", "runs accepted", job).increment();
        } else if (event instanceof RunEvent.AttemptStarted started && started.attempt() == 1) {
            counter("batchgate.runs.started", "runs whose first attempt's task was launched", job)
                    .increment();
            Timer.builder("batchgate.runs.queue.wait")
                    .description("from acceptance to the launch of the run's first attempt")
                    .tag("job", job)
                    .serviceLevelObjectives(WAIT_BUCKETS)
                    .register(meters)
                    .record(positive(Duration.between(started.acceptedAt(), started.at())));
        } else if (event instanceof RunEvent.RetryScheduled) {
            counter("batchgate.runs.retries", "attempts that failed and are tried again", job)
                    .increment();
        } else if (event instanceof RunEvent.AttemptEnded ended) {
            if (ended.startedAt() != null) {
                Timer.builder("batchgate.attempts.duration")
                        .description("how long an attempt's task ran, from running to its end")
                        .tag("job", job)
                        .serviceLevelObjectives(ATTEMPT_BUCKETS)
                        .register(meters)
                        .record(positive(Duration.between(ended.startedAt(), ended.at())));
            }
            if (ended.exitCode() != null) {
                Counter.builder("batchgate.attempts.exits")
                        .description("attempts that ended with an exit code, by code (see README)")
                        .tag("job", job)
                        .tag("code", ExitCodeTag.of(ended.exitCode()))
                        .register(meters)
                        .increment();
            }
        } else if (event instanceof RunEvent.RunFinished finished) {
            Counter.builder("batchgate.runs.finished")
                    .description("runs that reached a final status, by status")
                    .tag("job", job)
                    .tag("outcome", finished.status().name().toLowerCase(Locale.ROOT))
                    .register(meters)
                    .increment();
        }
        // the other events change nothing operators graph
    }

    private Counter counter(String name, String description, String job) {
        return Counter.builder(name).description(description).tag("job", job).register(meters);
    }

    /** Times from different replicas' clocks can be a little out of order. */
    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
