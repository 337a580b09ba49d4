package io.batchgate.runner.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.cloudwatch.CloudWatchLogStore;
import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The background final drain of ECS attempts' awslogs streams: the real ledger on H2, the real
 * SDK client against {@link CloudWatchLogsSimulator}, time from a clock the test moves.
 */
@Tag("sql")
class FinalDrainsTests {

    private static final LogSource.Drain DRAIN = new LogSource.Drain(Duration.ofSeconds(5), 2, Duration.ofSeconds(1));
    private static final String GROUP = "/ecs/nightly";

    private final MutableClock clock = MutableClock.fixed();
    private final CloudWatchLogsSimulator sim = CloudWatchLogsSimulator.start();
    private final CloudWatchLogsClient client = sim.client();
    private final DataSource dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
    private final RunLedger ledger =
            new RunLedger(JdbcClient.create(dataSource), JsonMapper.builder().build());
    private final AttemptLogs attemptLogs = new AttemptLogs(JdbcClient.create(dataSource));
    private final Random random = new Random(3);

    @AfterEach
    void close() {
        client.close();
        sim.close();
    }

    private FinalDrains drains(Path dataDir) {
        LogSources sources = new LogSources(
                new LocalLogFiles(new AttemptDirectories(dataDir)), Optional.of(new CloudWatchLogStore(client, DRAIN)));
        return new FinalDrains(attemptLogs, ledger, sources, "ecs", clock);
    }

    /** An ECS run whose attempt 1 logs to {@code stream}; ended now unless {@code running}. */
    private RunId ecsRun(String stream, boolean running, @Nullable String warning) {
        Run run = Run.accept(
                RunId.next(clock.millis(), random), "nightly", "v1", Map.of(), Set.of(), "ci", null, clock.instant());
        ledger.insert(run);
        Run started = ledger.get(run.id());
        started.claim("ecs", clock.instant());
        started.started(new TaskHandle("ecs", "arn:aws:ecs:us-east-1:1:task/batch/" + stream), clock.instant());
        ledger.update(started);
        if (!running) {
            Run ended = ledger.get(run.id());
            ended.finished(TaskExit.code(3), new ExitCodePolicy(Set.of(0), Set.of()), clock.instant());
            ledger.update(ended);
        }
        attemptLogs.located(run.id(), 1, new LogLocation(GROUP, stream), warning);
        return run.id();
    }

    private boolean complete(RunId id) {
        return ledger.get(id).attempts().get(0).log().complete();
    }

    @Test
    void anEndedEcsAttemptIsMarkedCompleteOnlyAfterItsDrainAndItsLateLines(@TempDir Path dataDir) {
        Instant stoppedAt = clock.instant();
        RunId drained = ecsRun("ecs/app/aaa", false, null);
        RunId nonBlocking = ecsRun("ecs/app/bbb", false, "awslogs mode is non-blocking: …");
        RunId running = ecsRun("ecs/app/ccc", true, null);
        sim.emit(GROUP, "ecs/app/aaa", stoppedAt, List.of("early 1", "early 2"));
        // still on their way when the task stopped: visible only after a few more reads
        sim.emitAfterReads(GROUP, "ecs/app/aaa", 4, stoppedAt, List.of("late 1", "late 2"));
        FinalDrains drains = drains(dataDir);

        clock.advance(Duration.ofSeconds(1));
        drains.run();
        assertThat(complete(drained)).as("within settle").isFalse();

        clock.advance(Duration.ofSeconds(4)); // settle is over: the empty pages must follow, 1 s apart
        drains.run();
        assertThat(complete(drained)).as("one pass after settle").isFalse();
        int reads = sim.calls("GetLogEvents");
        drains.run();
        assertThat(sim.calls("GetLogEvents"))
                .as("no read before the page interval")
                .isEqualTo(reads);

        int passes = 0;
        while (!complete(drained) && passes < 20) {
            clock.advance(Duration.ofSeconds(1));
            drains.run();
            passes++;
        }
        assertThat(complete(drained)).isTrue();
        assertThat(sim.messages(GROUP, "ecs/app/aaa"))
                .as("the late lines had arrived before completeness was claimed")
                .containsExactly("early 1", "early 2", "late 1", "late 2");
        assertThat(ledger.get(drained).logComplete()).isTrue();
        assertThat(complete(nonBlocking))
                .as("a log with a warning is never complete")
                .isFalse();
        assertThat(ledger.get(nonBlocking).logComplete()).isFalse();
        assertThat(complete(running)).as("a running task's log is not drained").isFalse();

        reads = sim.calls("GetLogEvents");
        clock.advance(Duration.ofSeconds(10));
        drains.run();
        assertThat(sim.calls("GetLogEvents"))
                .as("a complete log is not read again")
                .isEqualTo(reads);
    }

    @Test
    void eachPassIsBounded(@TempDir Path dataDir) {
        for (int i = 0; i < FinalDrains.BATCH + 5; i++) {
            ecsRun("ecs/app/many-" + i, false, null);
        }
        clock.advance(Duration.ofSeconds(10));
        FinalDrains drains = drains(dataDir);

        drains.run();

        // one read each (an empty stream), for at most a batch of attempts
        assertThat(sim.calls("GetLogEvents")).isEqualTo(FinalDrains.BATCH);
    }
}
