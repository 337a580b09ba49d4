package io.batchgate.runner.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.logs.cloudwatch.CloudWatchLogForwarder;
import io.batchgate.runner.logs.cloudwatch.CloudWatchLogStore;
import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator.PutRequest;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.AttemptLog;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The CloudWatch Logs adapters with the real SDK client over HTTP against {@link
 * CloudWatchLogsSimulator}, which refuses any request breaking the service's limits.
 */
class CloudWatchLogsTests {

    private static final LogLocation LOCATION = new LogLocation("/batchgate/runs", "run-1/attempt-1");

    private final CloudWatchLogsSimulator sim = CloudWatchLogsSimulator.start();
    private final CloudWatchLogsClient client = sim.client();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CloudWatchLogForwarder forwarder;

    @AfterEach
    void close() {
        if (forwarder != null) {
            forwarder.close();
        }
        client.close();
        sim.close();
    }

    private CloudWatchLogForwarder forwarder(int bufferLines) {
        forwarder =
                new CloudWatchLogForwarder(client, bufferLines, Duration.ofMillis(10), Duration.ofMillis(50), meters);
        return forwarder;
    }

    @Test
    void forwardingKeepsEveryLineInOrderWithinTheBatchLimits() {
        CloudWatchLogForwarder sink = forwarder(200_000);
        List<String> written = new ArrayList<>();
        IntStream.rangeClosed(1, 50_000).forEach(i -> written.add("line " + i));
        String kilobyte = "x".repeat(1000);
        IntStream.rangeClosed(1, 3000).forEach(i -> written.add(i + kilobyte));
        written.add("");
        written.add("é".repeat(200_000)); // 400,000 bytes: longer than one event may be
        Instant at = Instant.parse("2026-11-23T12:00:00Z");
        for (int from = 0; from < written.size(); from += 777) {
            sink.append(LOCATION, at.plusMillis(from), written.subList(from, Math.min(written.size(), from + 777)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.flushed(LOCATION));

        List<String> stored = sim.messages(LOCATION.group(), LOCATION.stream());
        assertThat(stored).hasSize(written.size());
        assertThat(stored.subList(0, 53_000)).isEqualTo(written.subList(0, 53_000));
        assertThat(stored.get(53_000)).isEqualTo(" ");
        assertThat(stored.get(53_001)).startsWith("éé").endsWith("[line cut at 256 KiB]");
        assertThat(sim.rejectedPuts()).isZero();
        List<PutRequest> puts = sim.puts();
        assertThat(puts).allSatisfy(put -> {
            assertThat(put.events()).isBetween(1, CloudWatchLogsSimulator.MAX_BATCH_EVENTS);
            assertThat(put.bytes()).isLessThanOrEqualTo(CloudWatchLogsSimulator.MAX_BATCH_BYTES);
        });
        assertThat(puts.stream().mapToInt(PutRequest::events).sum()).isEqualTo(written.size());
        // the 1 KB lines fill batches by bytes before they reach 10,000 events
        assertThat(puts).anySatisfy(put -> assertThat(put.bytes()).isGreaterThan(1_000_000));
        assertThat(sink.dropped(LOCATION)).isZero();
        assertThat(meters.counter("batchgate.logs.dropped.lines").count()).isZero();
    }

    @Test
    void forwardingSurvivesThrottling() {
        CloudWatchLogForwarder sink = forwarder(10_000);
        sim.createGroup(LOCATION.group()).failNext("PutLogEvents", 3, "ThrottlingException");
        List<String> written =
                IntStream.rangeClosed(1, 1000).mapToObj(i -> "line " + i).toList();
        sink.append(LOCATION, Instant.now(), written);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.flushed(LOCATION));

        assertThat(sim.messages(LOCATION.group(), LOCATION.stream())).isEqualTo(written);
        assertThat(sim.calls("PutLogEvents")).isEqualTo(3 + sim.puts().size());
        assertThat(sink.dropped(LOCATION)).isZero();
    }

    @Test
    void whileCloudWatchIsDownMemoryIsBoundedAndDropsAreCounted() {
        CloudWatchLogForwarder sink = forwarder(1000);
        sim.createGroup(LOCATION.group()).failNext("PutLogEvents", 1_000_000, "ServiceUnavailableException");
        List<String> written =
                IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i).toList();
        sink.append(LOCATION, Instant.now(), written);
        assertThat(sink.dropped(LOCATION)).isEqualTo(4000);
        assertThat(meters.counter("batchgate.logs.dropped.lines").count()).isEqualTo(4000);
        assertThat(sink.flushed(LOCATION)).isFalse();

        sim.failNext("PutLogEvents", 0, "ServiceUnavailableException"); // CloudWatch is back
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.flushed(LOCATION));
        assertThat(sim.messages(LOCATION.group(), LOCATION.stream())).isEqualTo(written.subList(0, 1000));
    }

    @Test
    void theFinalDrainReadsLinesThatArriveAfterTheTaskStopped(@TempDir Path dataDir) {
        String group = "/ecs/nightly";
        String stream = "ecs/app/0123456789abcdef";
        Instant stoppedAt = Instant.now();
        sim.emit(group, stream, stoppedAt.minusSeconds(2), List.of("early 1", "early 2"));
        // still on its way when the task stopped: visible only from the 3rd read, after a first empty page
        sim.emitAfterReads(group, stream, 3, stoppedAt, List.of("late 1", "late 2"));
        Run run = stoppedEcsRun(stoppedAt, new AttemptLog(group, stream, false, 0, null));

        LogSource.Drain drain = new LogSource.Drain(Duration.ofMillis(100), 2, Duration.ofMillis(50));
        assertThat(readAll(run, drain, dataDir))
                .containsExactly(
                        "── attempt 1 (ecs) ──",
                        "early 1",
                        "early 2",
                        "late 1",
                        "late 2",
                        "── attempt 1 ended: exit 3 ──",
                        "── run FAILED: exit code 3 is a failure ──");
    }

    @Test
    void withoutTheDrainTheLateLinesWouldBeLost(@TempDir Path dataDir) {
        String group = "/ecs/nightly";
        String stream = "ecs/app/fedcba9876543210";
        Instant stoppedAt = Instant.now();
        sim.emit(group, stream, stoppedAt, List.of("early"));
        sim.emitAfterReads(group, stream, 3, stoppedAt, List.of("late"));
        Run run = stoppedEcsRun(stoppedAt, new AttemptLog(group, stream, false, 0, null));

        assertThat(readAll(run, LogSource.Drain.IMMEDIATE, dataDir)).doesNotContain("late");
    }

    private List<String> readAll(Run run, LogSource.Drain drain, Path dataDir) {
        LogSources sources = new LogSources(
                new LocalLogFiles(new AttemptDirectories(dataDir)), Optional.of(new CloudWatchLogStore(client, drain)));
        // the reading's clock is moved on by each pause it asks for, instead of sleeping through it
        MutableClock clock = new MutableClock(Instant.now());
        RunLogReading reading = new RunLogReading(OptionalInt.empty(), sources, clock);
        List<String> lines = new ArrayList<>();
        RunLogReading.Step step;
        do {
            step = reading.next(run, 1000);
            lines.addAll(step.lines());
            if (step.readAgainIn() != null) {
                clock.advance(step.readAgainIn());
            }
        } while (!step.finished());
        return lines;
    }

    private static Run stoppedEcsRun(Instant stoppedAt, AttemptLog log) {
        Instant launched = stoppedAt.minusSeconds(60);
        Attempt attempt = new Attempt(
                1,
                "ecs",
                launched,
                1,
                new TaskHandle("ecs", "arn:aws:ecs:us-east-1:123456789012:task/batch/0123456789abcdef"),
                null,
                launched,
                stoppedAt,
                3,
                AttemptOutcome.EXITED,
                "exit code 3",
                null,
                null,
                log);
        return Run.restore(new Run.Snapshot(
                RunId.next(launched.toEpochMilli(), new Random(1)),
                "nightly",
                "v1",
                Map.of(),
                Set.of(),
                "ci",
                io.batchgate.runner.run.RunSource.api(),
                null,
                launched,
                RunStatus.FAILED,
                3,
                false,
                "exit code 3 is a failure",
                launched,
                stoppedAt,
                null,
                null,
                List.of(attempt),
                List.of(),
                1));
    }
}
