package io.batchgate.bench;

import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.gateway.wait.RunWaiters;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Waiters: 1,000 clients waiting on {@code GET /api/v1/runs/{id}?wait=25} at once on one gateway
 * (embedded default, H2, local runtime). Figures: live threads before and while they are parked,
 * heap per parked waiter, and the delay between a run's {@code finishedAt} and its waiter's answer
 * arriving. The clients are JDK {@code HttpClient}s in this JVM on a pool of 4 threads (5 threads
 * with the selector), counted in the thread figures.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class WaitersBenchmark {

    private static final String CATALOG = """
            jobs:
              nap:
                description: Sleeps MILLIS milliseconds; any number at once.
                local:
                  command: [sh, -c, 'sleep $(awk "BEGIN { print $MILLIS / 1000 }")']
                params: { MILLIS: { type: int, min: 0, max: 600000, default: "0" } }
            """;
    private static final Pattern FINISHED = Pattern.compile("\"finishedAt\":\"([^\"]+)\"");

    @Test
    void thousandWaiters() throws Exception {
        boolean quick = BenchReport.quick();
        int runs = quick ? 20 : 100;
        int perRun = 10;
        int napMillis = quick ? 6_000 : 12_000;
        BenchReport report = new BenchReport("WaitersBenchmark", quick);
        Path dataDir = Files.createTempDirectory("bench-waiters-");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (BenchApp app = BenchApp.start(dataDir, CATALOG, BenchDatabase.h2File(dataDir))) {
            RunWaiters waiters = app.bean(RunWaiters.class);
            ExecutorService clientPool = Executors.newFixedThreadPool(4);
            HttpClient client = HttpClient.newBuilder()
                    .executor(clientPool)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            // warm the paths once, then measure from a quiet state
            app.api().awaitFinal(app.api().trigger("nap", Map.of("MILLIS", "0")));
            List<String> runIds = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                runIds.add(app.api().trigger("nap", Map.of("MILLIS", Integer.toString(napMillis))));
            }
            System.gc();
            int threadsBefore = threads.getThreadCount();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            threads.resetPeakThreadCount();
            Instant sent = Instant.now();
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (String runId : runIds) {
                for (int i = 0; i < perRun; i++) {
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + app.port() + "/api/v1/runs/" + runId + "?wait=25"))
                            .header("Authorization", "Bearer " + GatewayTestSupport.TOKEN)
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build();
                    answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .thenApply(response -> new Answer(response, Instant.now())));
                }
            }
            int total = runs * perRun;
            while (waiters.waiting() < total
                    && Duration.between(sent, Instant.now()).toSeconds() < 60) {
                Thread.sleep(20);
            }
            Duration parkAll = Duration.between(sent, Instant.now());
            int parked = waiters.waiting();
            System.gc();
            int threadsParked = threads.getThreadCount();
            long heapParked = memory.getHeapMemoryUsage().getUsed();

            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            int peakThreads = threads.getPeakThreadCount();
            List<Double> delays = new ArrayList<>();
            int ok = 0;
            for (CompletableFuture<Answer> future : answers) {
                Answer answer = future.get();
                Matcher finished = FINISHED.matcher(answer.response().body());
                if (answer.response().statusCode() == 200 && finished.find()) {
                    ok++;
                    delays.add((double) Duration.between(Instant.parse(finished.group(1)), answer.at())
                            .toMillis());
                }
            }
            clientPool.shutdownNow();
            double[] values = delays.stream().mapToDouble(Double::doubleValue).toArray();
            report.add("waiters", total, "clients");
            report.add("waiters_parked_at_once", parked, "clients");
            report.add("waiters_answered_final", ok, "clients");
            report.add("waiters_time_to_park_all", parkAll.toMillis(), "ms");
            report.add("waiter_threads_before", threadsBefore, "threads");
            report.add("waiter_threads_parked", threadsParked, "threads");
            report.add("waiter_threads_added", threadsParked - threadsBefore, "threads (server and 5 client threads)");
            report.add("waiter_threads_peak", peakThreads, "threads");
            report.add("waiter_heap_per_parked_waiter", (heapParked - heapBefore) / Math.max(1, parked), "bytes");
            report.add("waiter_answer_delay_p50", BenchReport.percentile(values, 50), "ms");
            report.add("waiter_answer_delay_p99", BenchReport.percentile(values, 99), "ms");
            report.add("waiter_answer_delay_max", BenchReport.percentile(values, 100), "ms");
            report.note("target: answer delay p99 <= 1000 ms with <= 50 threads for 1,000 waiters");
        }
        report.write();
    }

    private record Answer(HttpResponse<String> response, Instant at) {}
}
