package io.batchgate.runner.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.runner.ledger.RunEventDispatcher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.cloudwatch.CloudWatchLogForwarder;
import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local attempt's output forwarded to CloudWatch Logs: the real ledger and {@link AttemptLogs}
 * on the selected database, the real SDK client against the simulator, the forwarder's passes run
 * by the test so that their timing relative to the run is chosen, not raced.
 */
@Tag("sql")
class LocalOutputForwardingTests {

    private static final String GROUP = "/batchgate/runs";
    private static final ExitCodePolicy ZERO_IS_SUCCESS = new ExitCodePolicy(Set.of(0), Set.of());

    @TempDir
    Path dataDir;

    private final CloudWatchLogsSimulator sim = CloudWatchLogsSimulator.start();
    private final CloudWatchLogsClient client = sim.client();
    private final CloudWatchLogForwarder sink = new CloudWatchLogForwarder(
            client, 100_000, Duration.ofMillis(10), Duration.ofMillis(50), new SimpleMeterRegistry());
    private final DataSource dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    private final AttemptLogs attemptLogs = new AttemptLogs(JdbcClient.create(dataSource));
    private final RunLedger ledger = new RunLedger(
            JdbcClient.create(dataSource),
            JsonMapper.builder().build(),
            new RunEventDispatcher(List.of(new LocalOutputStreams(attemptLogs, GROUP))));
    private final Instant now = Instant.now();

    @AfterEach
    void close() {
        sink.close();
        client.close();
        sim.close();
    }

    /**
     * A job that ends before the forwarder's first pass (a millisecond job, a busy machine) has
     * its stream from the claim on, so its log is not reported whole until the forwarder has
     * stored every line.
     */
    @Test
    void aLocalAttemptThatEndsBeforeTheFirstPassIsNotCompleteUntilItsLinesAreStored() throws Exception {
        AttemptDirectories directories = new AttemptDirectories(dataDir);
        Run run = Run.accept(
                RunId.next(now.toEpochMilli(), new Random(7)), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
        tx.executeWithoutResult(s -> ledger.insert(run));
        tx.executeWithoutResult(s -> {
            Run claimed = ledger.get(run.id());
            claimed.claim("local", now.plusMillis(1));
            claimed.started(new TaskHandle("local", "1@2"), now.plusMillis(2));
            ledger.update(claimed);
        });
        Path output = directories.output(run.id(), 1);
        Files.createDirectories(output.getParent());
        Files.writeString(output, "first\nsecond, unterminated");
        tx.executeWithoutResult(s -> {
            Run finished = ledger.get(run.id());
            finished.finished(TaskExit.code(0), ZERO_IS_SUCCESS, now.plusMillis(3));
            ledger.update(finished);
        });

        Run ended = ledger.get(run.id());
        assertThat(ended.status().isFinal()).isTrue();
        assertThat(ended.logComplete())
                .as("complete before anything reached CloudWatch")
                .isFalse();
        assertThat(ended.attempts().get(0).log().stream()).isEqualTo(run.id().value() + "/attempt-1");

        LocalOutputForwarder forwarder = new LocalOutputForwarder(
                attemptLogs,
                new LocalLogFiles(directories),
                sink,
                GROUP,
                Clock.fixed(now.plusSeconds(1), ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    forwarder.run();
                    return ledger.get(run.id()).logComplete();
                });
        assertThat(sim.messages(GROUP, run.id().value() + "/attempt-1"))
                .containsExactly("first", "second, unterminated");
    }

    /** Nothing is forwarded for an attempt that never started, and nothing is missing from its log. */
    @Test
    void aLocalAttemptThatNeverStartedIsCompleteOnceItEnds() {
        Run run = Run.accept(
                RunId.next(now.toEpochMilli(), new Random(9)), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
        tx.executeWithoutResult(s -> ledger.insert(run));
        tx.executeWithoutResult(s -> {
            Run claimed = ledger.get(run.id());
            claimed.claim("local", now.plusMillis(1));
            claimed.launchFailed("cannot run the command", now.plusMillis(2));
            ledger.update(claimed);
        });

        Run failed = ledger.get(run.id());
        assertThat(failed.status().isFinal()).isTrue();
        assertThat(failed.attempts().get(0).log().hasStream()).isTrue();
        assertThat(failed.logComplete()).isTrue();
    }

    @Test
    void anAttemptOfAnotherRuntimeGetsNoLocalStream() {
        Run run = Run.accept(
                RunId.next(now.toEpochMilli(), new Random(8)), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
        tx.executeWithoutResult(s -> ledger.insert(run));
        tx.executeWithoutResult(s -> {
            Run claimed = ledger.get(run.id());
            claimed.claim("ecs", now.plusMillis(1));
            ledger.update(claimed);
        });
        assertThat(ledger.get(run.id()).attempts().get(0).log().hasStream()).isFalse();
    }
}
