package io.batchgate.runner.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.runner.ledger.RunEventDispatcher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.cloudwatch.CloudWatchLogForwarder;
import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * batchgate's own per-run messages reach CloudWatch Logs: the real ledger on H2 calls {@link
 * RunMessageForwarder} in its transactions, which forwards through the real SDK client to the
 * simulator.
 */
@Tag("sql")
class RunMessageForwardingTests {

    private static final String GROUP = "/batchgate/runs";
    private static final ExitCodePolicy ZERO_IS_SUCCESS = new ExitCodePolicy(Set.of(0), Set.of());

    private final CloudWatchLogsSimulator sim = CloudWatchLogsSimulator.start();
    private final CloudWatchLogsClient client = sim.client();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DataSource dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    private final Random random = new Random(7);
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private CloudWatchLogForwarder forwarder;

    @AfterEach
    void close() {
        forwarder.close();
        client.close();
        sim.close();
    }

    private RunLedger ledger(int bufferLines) {
        forwarder =
                new CloudWatchLogForwarder(client, bufferLines, Duration.ofMillis(10), Duration.ofMillis(50), meters);
        return new RunLedger(
                JdbcClient.create(dataSource),
                JsonMapper.builder().build(),
                new RunEventDispatcher(List.of(new RunMessageForwarder(forwarder, GROUP))));
    }

    private Run accepted() {
        return Run.accept(RunId.next(now.toEpochMilli(), random), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
    }

    @Test
    void everyCommittedTransitionIsForwardedToTheRunsOwnStreamInOrder() {
        RunLedger ledger = ledger(100_000);
        Run run = accepted();
        tx.executeWithoutResult(s -> ledger.insert(run));
        tx.executeWithoutResult(s -> {
            Run claimed = ledger.get(run.id());
            claimed.claim("local", now.plusSeconds(1));
            claimed.started(new TaskHandle("local", "1@2"), now.plusSeconds(2));
            ledger.update(claimed);
        });
        tx.executeWithoutResult(s -> {
            Run finished = ledger.get(run.id());
            finished.finished(TaskExit.code(0), ZERO_IS_SUCCESS, now.plusSeconds(3));
            ledger.update(finished);
        });

        Run stored = ledger.get(run.id());
        assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
        String stream = run.id().value() + "/batchgate";
        List<String> expected = stored.timeline().stream()
                .map(entry -> (entry.from() == null ? "" : entry.from().name() + " → ")
                        + entry.to().name()
                        + (entry.reason().isEmpty() ? "" : ": " + entry.reason()))
                .toList();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sim.messages(GROUP, stream).size() >= expected.size());
        List<String> messages = sim.messages(GROUP, stream);
        assertThat(messages).hasSize(expected.size()).hasSize(4);
        // the first (accepted) has no attempt yet; the others name attempt 1
        assertThat(messages.get(0)).isEqualTo(expected.get(0)).startsWith("QUEUED");
        for (int i = 1; i < expected.size(); i++) {
            assertThat(messages.get(i)).isEqualTo("attempt 1: " + expected.get(i));
        }
        assertThat(messages.get(3)).startsWith("attempt 1: RUNNING → SUCCEEDED");
        assertThat(sim.rejectedPuts()).isZero();
    }

    @Test
    void aRolledBackTransitionIsNotForwarded() {
        RunLedger ledger = ledger(100_000);
        Run run = accepted();
        tx.executeWithoutResult(s -> ledger.insert(run));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
                    Run claimed = ledger.get(run.id());
                    claimed.claim("local", now.plusSeconds(1));
                    ledger.update(claimed);
                    throw new IllegalStateException("the launch failed after the claim was stored");
                }))
                .isInstanceOf(IllegalStateException.class);
        Run other = accepted();
        tx.executeWithoutResult(s -> ledger.insert(other)); // sent after the first run's messages, by one sender

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        sim.messages(GROUP, other.id().value() + "/batchgate").size() == 1);
        assertThat(ledger.get(run.id()).status()).isEqualTo(RunStatus.QUEUED);
        assertThat(sim.messages(GROUP, run.id().value() + "/batchgate"))
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("QUEUED"));
    }

    @Test
    void whileCloudWatchIsDownTransitionsGoOnAndDroppedMessagesAreCounted() {
        RunLedger ledger = ledger(2);
        sim.failNext("PutLogEvents", 1_000_000, "ServiceUnavailableException");
        for (int i = 0; i < 10; i++) {
            Run run = accepted();
            tx.executeWithoutResult(s -> ledger.insert(run));
            tx.executeWithoutResult(s -> {
                Run claimed = ledger.get(run.id());
                claimed.claim("local", now.plusSeconds(1));
                ledger.update(claimed);
            });
            assertThat(ledger.get(run.id()).status()).isEqualTo(RunStatus.LAUNCHING);
        }
        // 20 messages: at most one batch in the sender's hands (no more than the buffer's 2 lines, held
        // for a retry) and two queued; the rest dropped and counted
        assertThat(meters.counter("batchgate.logs.dropped.lines").count()).isGreaterThanOrEqualTo(20 - 2 - 2);
        assertThat(forwarder.queued()).isLessThanOrEqualTo(2);
    }

    /**
     * The forwarder's lines about a run's stream — here its dropped lines, on the thread that
     * appended and on the sender's — carry the run's id and job in the MDC, as JSON logs show them.
     */
    @Test
    void droppedLinesAreLoggedWithTheRunsIdAndJob() {
        RunLedger ledger = ledger(2);
        sim.failNext("PutLogEvents", 1_000_000, "ServiceUnavailableException");
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CloudWatchLogForwarder.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // takes the MDC now, on the logging thread
                super.append(event);
            }
        };
        logged.start();
        logger.addAppender(logged);
        List<String> runIds = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Run run = accepted();
                runIds.add(run.id().value());
                tx.executeWithoutResult(s -> ledger.insert(run));
                tx.executeWithoutResult(s -> {
                    Run claimed = ledger.get(run.id());
                    claimed.claim("local", now.plusSeconds(1));
                    ledger.update(claimed);
                });
            }
        } finally {
            logger.detachAppender(logged);
        }
        List<ILoggingEvent> dropped = List.copyOf(logged.list).stream()
                .filter(event -> event.getFormattedMessage().contains("were dropped"))
                .toList();
        assertThat(dropped).isNotEmpty();
        assertThat(dropped).allSatisfy(event -> {
            String runId = event.getMDCPropertyMap().get("runId");
            assertThat(runId).as(event.getFormattedMessage()).isIn(runIds);
            assertThat(event.getFormattedMessage()).contains(runId + "/batchgate");
            assertThat(event.getMDCPropertyMap()).containsEntry("job", "hello");
        });
        assertThat(org.slf4j.MDC.get("runId"))
                .as("the test thread's context is put back")
                .isNull();
    }
}
