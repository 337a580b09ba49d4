package io.batchgate.runner.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.LocalLogFiles;
import io.batchgate.runner.logs.LogSources;
import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.secrets.OutputScrubbers;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sealed copy of a final run's secret values is dropped after the retention, and the local
 * output is rewritten scrubbed first, so the log served afterwards still shows no value (H2 and
 * MariaDB, real files).
 */
@Tag("sql")
class SecretScrubSweeperTests {

    private static final String SECRET = "hunter2-Xy7-secret";
    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final Random random = new Random();
    private final OutputScrubbers scrubbers = new OutputScrubbers(4);
    private JdbcClient jdbc;
    private RunLedger ledger;
    private AttemptDirectories directories;
    private JobDefinition job;

    @BeforeEach
    void setUp() {
        DataSource dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        jdbc = JdbcClient.create(dataSource);
        ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        directories = new AttemptDirectories(dir.resolve("data"));
        job = TestCatalogs.load(dir.resolve("catalog"), """
                        jobs:
                          login:
                            local: { command: ["true"] }
                            params:
                              PASSWORD: { type: string, secret: true }
                        """).job("login").orElseThrow();
    }

    private SecretScrubSweeper sweeper() {
        return new SecretScrubSweeper(ledger, jdbc, directories, scrubbers, RETENTION, clock);
    }

    /** A run that printed its secret, then ended; its output file written as the wrapper would. */
    private RunId finishedRunThatPrinted(String output) throws Exception {
        Run run = Run.accept(
                RunId.next(clock.millis(), random),
                "login",
                "v1",
                Map.of("PASSWORD", SECRET),
                Set.of("PASSWORD"),
                "test",
                null,
                clock.instant());
        ledger.insert(run);
        Run started = ledger.get(run.id());
        started.claim("local", clock.instant());
        started.started(new TaskHandle("local", "1@1"), clock.instant());
        ledger.update(started);
        Path file = directories.output(run.id(), 1);
        Files.createDirectories(file.getParent());
        Files.write(file, output.getBytes(StandardCharsets.UTF_8));
        Run ended = ledger.get(run.id());
        ended.finished(TaskExit.code(0), job.exitCodes(), job.retry(), n -> Duration.ZERO, clock.instant());
        ledger.update(ended);
        return run.id();
    }

    private String secretScrub(RunId id) {
        return jdbc.sql("SELECT secret_scrub FROM bg_run WHERE id = :id")
                .param("id", id.value())
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private String served(RunId id) {
        RunLogs logs =
                new RunLogs(ledger, new LogSources(new LocalLogFiles(directories), Optional.empty()), clock, scrubbers);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            logs.copy(id, java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void afterTheRetentionTheSealedCopyGoesAndTheOutputIsRewrittenScrubbed() throws Exception {
        RunId id = finishedRunThatPrinted("logging in with " + SECRET + "\nok \u00e9t\u00e9\nno newline " + SECRET);
        assertThat(secretScrub(id)).isNotNull().contains("bgsealed:v1:").doesNotContain(SECRET);
        String before = served(id);
        assertThat(before).contains("logging in with ******").doesNotContain(SECRET);

        clock.advance(Duration.ofMinutes(59));
        assertThat(sweeper().sweep()).as("within the retention").isZero();
        assertThat(secretScrub(id)).isNotNull();

        clock.advance(Duration.ofMinutes(2));
        assertThat(sweeper().sweep()).isEqualTo(1);

        assertThat(secretScrub(id)).isNull();
        assertThat(ledger.secretValues(id)).isEmpty();
        assertThat(Files.readString(directories.output(id, 1)))
                .isEqualTo("logging in with ******\nok \u00e9t\u00e9\nno newline ******");
        assertThat(served(id)).as("the log served afterwards reads as before").isEqualTo(before);
        assertThat(sweeper().sweep()).as("nothing left").isZero();
    }

    @Test
    void aRunWhoseOutputThisReplicaDoesNotHaveIsLeftAlone() throws Exception {
        RunId id = finishedRunThatPrinted("logging in with " + SECRET + "\n");
        Files.delete(directories.output(id, 1));
        Files.delete(directories.output(id, 1).getParent());
        clock.advance(RETENTION.plusMinutes(1));

        assertThat(sweeper().sweep()).isZero();
        assertThat(secretScrub(id)).isNotNull();
    }
}
