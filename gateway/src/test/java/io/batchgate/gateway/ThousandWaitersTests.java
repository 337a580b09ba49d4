package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.gateway.wait.RunWaiters;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * 1,000 clients long-polling at once on one gateway are all answered with their run's end, while
 * the server holds them without a thread each. Prints the figures (threads, heap, answer delay);
 * the timed benchmark of the same thing is in {@code bench/}.
 */
class ThousandWaitersTests extends GatewayIntegrationTests {

    private static final int RUNS = 50;
    private static final int WAITERS_PER_RUN = 20;

    @Autowired
    RunWaiters waiters;

    @Test
    void aThousandWaitersAreAllAnsweredWithoutAThreadEach() throws Exception {
        List<String> runIds = new ArrayList<>();
        // the runs end when the test says so: every waiter is parked before any run ends
        java.nio.file.Path go = DATA_DIR.resolve("go-" + System.nanoTime());
        try {
            waitersOn(runIds, go);
        } finally {
            // releases the gates whatever happened, so no job of this test runs on after it
            if (!java.nio.file.Files.exists(go)) {
                java.nio.file.Files.createFile(go);
            }
        }
    }

    private void waitersOn(List<String> runIds, java.nio.file.Path go) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < RUNS; i++) {
            runIds.add(api.trigger("gate", Map.of("GO", go.toString())));
        }
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder()
                .executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        System.gc();
        int threadsBefore = threads.getThreadCount();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (String runId : runIds) {
            for (int i = 0; i < WAITERS_PER_RUN; i++) {
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + runId + "?wait=110"))
                        .header("Authorization", "Bearer " + GatewayTestSupport.TOKEN)
                        .timeout(Duration.ofSeconds(180))
                        .GET()
                        .build();
                answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(response -> new Answer(response, Instant.now())));
            }
        }
        // every waiter parked at once: the waits (110 s, see GatewayIntegrationTests) outlast the sending
        await().atMost(Duration.ofSeconds(100)).until(() -> waiters.waiting() == RUNS * WAITERS_PER_RUN);
        int threadsParked = threads.getThreadCount();
        long heapParked = memory.getHeapMemoryUsage().getUsed();
        java.nio.file.Files.createFile(go);

        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();
        JsonMapper json = JsonMapper.builder().build();
        List<Long> delays = new ArrayList<>();
        for (CompletableFuture<Answer> future : answers) {
            Answer answer = future.get();
            assertThat(answer.response().statusCode())
                    .as(answer.response().body())
                    .isEqualTo(200);
            JsonNode run = json.readTree(answer.response().body());
            assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
            delays.add(Duration.between(Instant.parse(run.get("finishedAt").asString()), answer.at())
                    .toMillis());
        }
        clientThreads.shutdownNow();
        delays.sort(null);
        System.out.printf(
                "waiters: %d on %d runs%nwaiter_threads_before: %d%nwaiter_threads_parked: %d%n"
                        + "waiter_heap_delta_parked: %d KiB (rough: no GC forced while parked)%n"
                        + "waiter_answer_delay_ms p50/p99/max: %d / %d / %d%n",
                answers.size(),
                RUNS,
                threadsBefore,
                threadsParked,
                (heapParked - heapBefore) / 1024,
                delays.get(delays.size() / 2),
                delays.get((int) Math.ceil(delays.size() * 0.99) - 1),
                delays.get(delays.size() - 1));
        // 1,000 parked requests cost no thread each: Tomcat alone would need 1,000 for them
        assertThat(threadsParked - threadsBefore).isLessThan(100);
        assertThat(waiters.waiting()).isZero();
    }

    private record Answer(HttpResponse<String> response, Instant at) {}
}
