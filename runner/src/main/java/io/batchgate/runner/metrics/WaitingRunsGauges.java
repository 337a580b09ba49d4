package io.batchgate.runner.metrics;

import io.batchgate.runner.ledger.SqlTime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue's depth (runs QUEUED and RETRY_WAIT per job) and the outbox's age (how long the oldest
 * due outbox row has waited to be claimed), read from the database by {@link #refresh()} on a
 * timer — a scrape reads the last values and never queries. They are facts of the shared database,
 * so every replica reports the same values: aggregate them with {@code max}, never {@code sum}.
 */
public final class WaitingRunsGauges {

    static final List<String> STATUSES = List.of("QUEUED", "RETRY_WAIT");

    private final JdbcClient jdbc;
    private final JobTags jobs;
    private final MeterRegistry meters;
    private final Clock clock;
    /** One gauge per (job tag, status), registered once and kept: its value drops to 0, it never goes. */
    private final Map<List<String>, AtomicLong> waiting = new ConcurrentHashMap<>();

    private final AtomicLong outboxAgeMillis = new AtomicLong();
    private final AtomicLong outboxRows = new AtomicLong();

    public WaitingRunsGauges(JdbcClient jdbc, JobTags jobs, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.meters = meters;
        this.clock = clock;
        Gauge.builder("batchgate.outbox.age", outboxAgeMillis, millis -> millis.get() / 1000.0)
                .description("how long the oldest due outbox row has waited to be sent and claimed (a DB fact:"
                        + " aggregate with max)")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("batchgate.outbox.rows", outboxRows, AtomicLong::get)
                .description("runs accepted or due for a retry and not yet claimed (a DB fact: aggregate with max)")
                .register(meters);
    }

    /** Reads both facts with one query each. */
    public void refresh() {
        Map<List<String>, Long> counts = new HashMap<>();
        for (String job : jobs.known()) {
            for (String status : STATUSES) {
                counts.put(List.of(job, status), 0L);
            }
        }
        jdbc.sql("SELECT job, status, COUNT(*) FROM bg_run WHERE status IN ('QUEUED', 'RETRY_WAIT')"
                        + " GROUP BY job, status")
                .query(rs -> {
                    // jobs outside the catalog add up under "other"
                    counts.merge(List.of(jobs.of(rs.getString(1)), rs.getString(2)), rs.getLong(3), Long::sum);
                });
        counts.forEach((key, count) -> waitingGauge(key).set(count));
        // a key no longer read (its runs were claimed) drops to 0
        waiting.forEach((key, value) -> {
            if (!counts.containsKey(key)) {
                value.set(0);
            }
        });
        Instant now = clock.instant();
        jdbc.sql("SELECT COUNT(*), MIN(available_at) FROM bg_outbox").query(rs -> {
            outboxRows.set(rs.getLong(1));
            Instant oldest = SqlTime.fromSql(rs.getObject(2, LocalDateTime.class));
            long age = oldest == null ? 0 : Duration.between(oldest, now).toMillis();
            outboxAgeMillis.set(Math.max(0, age));
        });
    }

    private AtomicLong waitingGauge(List<String> key) {
        return waiting.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("batchgate.runs.waiting", value, AtomicLong::get)
                    .description("runs waiting to launch, by job and status (a DB fact: aggregate with max)")
                    .tag("job", k.get(0))
                    .tag("status", k.get(1).toLowerCase(Locale.ROOT))
                    .register(meters);
            return value;
        });
    }
}
