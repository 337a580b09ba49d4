package io.batchgate.runner.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.LocalLogFiles;
import io.batchgate.runner.logs.LogSources;
import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.secrets.OutputScrubbers;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The values of a job's {@code secrets:} that the local runtime gives a process are scrubbed from
 * its output as a {@code secret: true} param's are: a real process prints one, the log served from
 * the ledger's scrub copy shows {@code ******} (H2 and MariaDB).
 */
@Tag("sql")
class LocalSecretsScrubbingTests {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/prod";
    private static final String VALUE = "db-Pa55-from-the-file";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private final OutputScrubbers scrubbers = new OutputScrubbers(4);
    private JdbcClient jdbc;
    private RunLedger ledger;
    private AttemptDirectories directories;
    private JobDefinition job;
    private LocalProcessRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        jdbc = JdbcClient.create(TestDatabases.migrated(TestDatabases.newSelectedDatabase()));
        ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        directories = new AttemptDirectories(dir.resolve("data"));
        job = TestCatalogs.load(dir.resolve("catalog"), """
                        jobs:
                          billing:
                            local: { command: [sh, -c, 'echo "connecting with $DB_PASSWORD"; echo done'] }
                            secrets:
                              DB_PASSWORD: %s
                        """.formatted(ARN))
                .job("billing")
                .orElseThrow();
        Path secretsFile = dir.resolve("secrets.yaml");
        Files.writeString(secretsFile, ARN + ": \"" + VALUE + "\"\n");
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));
        runtime = new LocalProcessRuntime(
                directories,
                new LocalRuntimeProperties(List.of("PATH"), 2, secretsFile),
                (attempt, exit) -> {},
                callbacks,
                (attempt, values) -> ledger.addScrubValues(attempt.runId(), attempt.attempt(), values));
    }

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
        JobProcesses.killAll(dir);
    }

    @Test
    void aSecretsValueTheProcessPrintsIsServedScrubbedAndStoredOnlySealed() throws Exception {
        Run run = Run.accept(
                RunId.next(clock.millis(), new Random()),
                "billing",
                "v1",
                Map.of(),
                Set.of(),
                "test",
                null,
                clock.instant());
        ledger.insert(run);
        Run claimed = ledger.get(run.id());
        claimed.claim("local", clock.instant());
        AttemptRef attempt = new AttemptRef(run.id(), 1);
        StartResult started =
                runtime.start(new TaskLaunch(attempt, job, RunLauncher.environment(run.id(), "billing", 1, Map.of())));
        assertThat(started).isInstanceOf(StartResult.Started.class);
        claimed.started(((StartResult.Started) started).handle(), clock.instant());
        ledger.update(claimed);
        Path output = directories.output(run.id(), 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(output) && Files.readString(output).contains("done"));
        assertThat(Files.readString(output)).as("the process got the value").contains(VALUE);

        assertThat(served(run.id())).contains("connecting with ******").doesNotContain(VALUE);
        assertThat(secretScrub(run.id())).contains("bgsealed:v1:").doesNotContain(VALUE);

        // a value changed between attempts: both stay scrubbed; none is added once the run is final
        ledger.addScrubValues(run.id(), 2, Map.of("DB_PASSWORD", "the-second-value"));
        assertThat(ledger.secretValues(run.id())).containsExactlyInAnyOrder(VALUE, "the-second-value");
        Run ended = ledger.get(run.id());
        ended.finished(TaskExit.code(0), job.exitCodes(), job.retry(), n -> Duration.ZERO, clock.instant());
        ledger.update(ended);
        ledger.addScrubValues(run.id(), 3, Map.of("DB_PASSWORD", "after-the-end"));
        assertThat(ledger.secretValues(run.id())).doesNotContain("after-the-end");
    }

    private String served(RunId id) {
        RunLogs logs =
                new RunLogs(ledger, new LogSources(new LocalLogFiles(directories), Optional.empty()), clock, scrubbers);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            logs.copy(id, OptionalInt.empty(), OptionalInt.empty(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String secretScrub(RunId id) {
        return jdbc.sql("SELECT secret_scrub FROM bg_run WHERE id = :id")
                .param("id", id.value())
                .query(String.class)
                .single();
    }
}
