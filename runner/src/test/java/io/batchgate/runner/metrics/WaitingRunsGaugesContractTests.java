package io.batchgate.runner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.ReadCommittedPools;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** The queue depth and outbox age gauges read the database with the SQL of every supported database. */
abstract class WaitingRunsGaugesContractTests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00.250Z");

    protected abstract String newDatabaseUrl();

    @TempDir
    Path dir;

    private final Random random = new Random(11);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HikariDataSource pool;
    private RunLedger ledger;
    private Outbox outbox;
    private WaitingRunsGauges gauges;

    @BeforeEach
    void database() throws Exception {
        String url = newDatabaseUrl();
        TestDatabases.migrated(url);
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        if (url.startsWith("jdbc:mysql:")) {
            pool.setUsername(TestDatabases.MARIADB_USER);
            pool.setPassword(TestDatabases.MARIADB_PASSWORD);
        } else {
            pool.setUsername("sa");
        }
        new ReadCommittedPools().postProcessBeforeInitialization(pool, "dataSource");
        JdbcClient jdbc = JdbcClient.create(pool);
        ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        outbox = new Outbox(jdbc);
        Files.writeString(dir.resolve("jobs.yaml"), """
                jobs:
                  nightly: { local: { command: ["true"] } }
                  idle: { local: { command: ["true"] } }
                """);
        JobTags jobs = new JobTags(new CurrentCatalog(dir, new CatalogLoader()));
        gauges = new WaitingRunsGauges(jdbc, jobs, meters, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void queueDepthCountsQueuedAndRetryWaitRunsPerJobAndJobsOutsideTheCatalogAsOther() {
        stored("nightly", NOW.minusSeconds(5));
        stored("nightly", NOW.minusSeconds(4));
        Run waiting = stored("nightly", NOW.minusSeconds(3));
        waiting.claim("local", NOW.minusSeconds(2));
        waiting.launchDeferred("capacity", NOW.plusSeconds(30), NOW.minusSeconds(1));
        ledger.update(waiting);
        Run running = stored("nightly", NOW.minusSeconds(3));
        running.claim("local", NOW.minusSeconds(2));
        ledger.update(running);
        stored("gone-from-the-catalog", NOW.minusSeconds(3));
        stored("also-gone", NOW.minusSeconds(3));

        gauges.refresh();

        assertThat(waiting("nightly", "queued")).isEqualTo(2);
        assertThat(waiting("nightly", "retry_wait")).isEqualTo(1);
        assertThat(waiting("idle", "queued"))
                .as("a job without runs shows 0, not nothing")
                .isZero();
        assertThat(waiting(JobTags.OTHER, "queued")).isEqualTo(2);
        assertThat(meters.find("batchgate.runs.waiting")
                        .tag("job", "gone-from-the-catalog")
                        .gauges())
                .isEmpty();
    }

    @Test
    void aJobWhoseRunsWereClaimedDropsToZero() {
        Run run = stored("nightly", NOW.minusSeconds(5));
        gauges.refresh();
        assertThat(waiting("nightly", "queued")).isEqualTo(1);

        run.claim("local", NOW);
        ledger.update(run);
        gauges.refresh();

        assertThat(waiting("nightly", "queued")).isZero();
    }

    @Test
    void outboxAgeIsHowLongTheOldestDueRowHasWaited() {
        gauges.refresh();
        assertThat(outboxAge()).as("an empty outbox").isZero();

        Run late = stored("nightly", NOW.minusSeconds(100));
        outbox.add(late.id(), NOW.minusSeconds(100), NOW.minusSeconds(90));
        Run later = stored("nightly", NOW.minusSeconds(10));
        outbox.add(later.id(), NOW.minusSeconds(10), NOW.minusSeconds(10));
        Run retry = stored("nightly", NOW.minusSeconds(500));
        outbox.add(retry.id(), NOW.minusSeconds(500), NOW.plusSeconds(60));
        gauges.refresh();

        assertThat(outboxAge())
                .as("due 90 s ago; a row due in the future is not late")
                .isEqualTo(90.0);
        assertThat(meters.get("batchgate.outbox.rows").gauge().value()).isEqualTo(3);

        outbox.remove(late.id());
        outbox.remove(later.id());
        gauges.refresh();
        assertThat(outboxAge()).as("only a row due in the future").isZero();
    }

    private Run stored(String job, Instant at) {
        Run run = Run.accept(RunId.next(at.toEpochMilli(), random), job, "v1", Map.of(), Set.of(), "ci", null, at);
        ledger.insert(run);
        run.clearEvents();
        return run;
    }

    private double waiting(String job, String status) {
        return meters.get("batchgate.runs.waiting")
                .tags("job", job, "status", status)
                .gauge()
                .value();
    }

    private double outboxAge() {
        return meters.get("batchgate.outbox.age").gauge().value();
    }
}
