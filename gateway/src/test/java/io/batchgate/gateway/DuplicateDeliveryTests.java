package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.queue.sqs.QueueUrl;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/** A launch message delivered several times, even at once, starts exactly one process. */
class DuplicateDeliveryTests extends GatewayIntegrationTests {

    @Autowired
    private JobRepository jobRepository;

    @Autowired
    SqsAsyncClient sqs;

    @Autowired
    QueueUrl queueUrl;

    @Autowired
    RunLauncher launcher;

    @Autowired
    RunLedger ledger;

    @Autowired
    io.batchgate.runner.ledger.Outbox outbox;

    @Autowired
    CurrentCatalog catalog;

    @Autowired
    TransactionTemplate tx;

    @Test
    void theSameMessageDeliveredSixTimesStartsOneProcess() throws Exception {
        Path countFile = Files.createTempFile(DATA_DIR, "count-", ".txt");
        String runId = api.trigger("count", Map.of("COUNT_FILE", countFile.toString(), "SECONDS", "1"));
        String body = "{\"runId\":\"" + runId + "\"}";
        List<CompletableFuture<?>> sends = IntStream.range(0, 5)
                .mapToObj(i -> sqs.sendMessage(r -> r.queueUrl(queueUrl.get()).messageBody(body)))
                .<CompletableFuture<?>>map(f -> f)
                .toList();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        awaitQueueDrained();
        assertThat(Files.readAllLines(countFile)).containsExactly("started");
        assertThat(run.get("attempts")).hasSize(1);
    }

    @Test
    void eightSimultaneousClaimsOfOneQueuedRunStartOneProcess() throws Exception {
        Path countFile = Files.createTempFile(DATA_DIR, "race-", ".txt");
        // A QUEUED run with no message yet, so every claim below starts from the same state.
        Run run = Run.accept(
                RunId.next(System.currentTimeMillis(), new Random()),
                "count",
                catalog.get().version(),
                Map.of("COUNT_FILE", countFile.toString(), "SECONDS", "0"),
                Set.of(),
                "ci",
                null,
                Instant.now());
        tx.executeWithoutResult(status -> ledger.insert(run));
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<RunLauncher.Outcome>> claims = IntStream.range(0, threads)
                    .mapToObj(i -> pool.submit(() -> {
                        start.await();
                        if (i % 2 == 0) {
                            sqs.sendMessage(
                                    r -> r.queueUrl(queueUrl.get()).messageBody("{\"runId\":\"" + run.id() + "\"}"));
                        }
                        return launcher.launch(run.id());
                    }))
                    .toList();
            long winners = 0;
            for (Future<RunLauncher.Outcome> claim : claims) {
                winners += claim.get(30, TimeUnit.SECONDS) == RunLauncher.Outcome.LAUNCHED ? 1 : 0;
            }
            JsonNode finished = api.awaitFinal(run.id().value());
            awaitQueueDrained();
            assertThat(finished.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(finished.get("attempts")).hasSize(1);
            assertThat(Files.readAllLines(countFile)).containsExactly("started");
            assertThat(winners).isLessThanOrEqualTo(1);
            // the losers' claims opened no Spring Batch execution: one instance, one execution
            JobInstance instance = jobRepository.getJobInstance(
                    "count",
                    new JobParametersBuilder()
                            .addString("batchgate.runId", run.id().value(), true)
                            .toJobParameters());
            assertThat(jobRepository.getJobExecutions(instance)).singleElement().satisfies(execution -> assertThat(
                            execution.getId())
                    .isEqualTo(finished.get("attempts")
                            .get(0)
                            .get("jobExecutionId")
                            .asLong()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStaleMessageForARunningRunLeavesTheOutboxRowOfItsNextAttemptAlone() {
        // The attempt's end may commit a retry's outbox row after a stale message's transaction
        // read the run as RUNNING; that transaction must not delete the row.
        Instant now = Instant.now();
        Run run = Run.accept(
                RunId.next(now.toEpochMilli(), new Random()),
                "count",
                catalog.get().version(),
                Map.of("COUNT_FILE", "/dev/null"),
                Set.of(),
                "ci",
                null,
                now);
        run.claim("local", now);
        run.started(new io.batchgate.runner.run.TaskHandle("local", "1@1"), now);
        tx.executeWithoutResult(status -> {
            ledger.insert(run);
            outbox.add(run.id(), now, now.plusSeconds(3600));
        });
        assertThat(launcher.launch(run.id())).isEqualTo(RunLauncher.Outcome.NOTHING_TO_DO);
        assertThat(outbox.due(now.plusSeconds(7200), java.time.Duration.ofMinutes(5), 1000))
                .contains(run.id());
    }

    private void awaitQueueDrained() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl.get())
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .join()
                    .attributes();
            return attributes.values().stream().allMatch("0"::equals);
        });
    }
}
