package io.batchgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.ApiClient;
import io.batchgate.gateway.BatchgateApplication;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.runtime.ecs.sim.SimTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The whole application against the ECS simulator enforcing Fargate's RunTask quota (20/s, burst
 * 100): N triggers as fast as 16 HTTP clients can send them, then how close to the quota the
 * launches ran, whether anything was throttled or failed, and how long a trigger waited for its
 * RunTask. See bench/README.md for the formulas.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LaunchBurstBenchmark {

    private static final double QUOTA_RATE = 20;
    private static final int QUOTA_BURST = 100;
    private static final int CLIENT_THREADS = 16;
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

    /** The simulator jobs of the gateway's ECS tests (EcsTestSupport is package-private there). */
    private static final String SIM_JOBS = """
            jobs:
              sim:
                description: An ECS task in the simulator; SIM_* says how it ends.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_EXIT_CODE: { type: int, min: 0, max: 255, default: "0" }
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
            """;

    @TempDir
    Path dataDir;

    @Test
    void burstOfTriggersAgainstTheFargateQuota() throws Exception {
        boolean quick = BenchReport.quick();
        int n = quick ? 200 : 2_000;
        BenchReport report = new BenchReport("LaunchBurstBenchmark", quick);

        try (EcsSimulator sim =
                EcsSimulator.start().addCluster("batch").registerTaskDefinition("sim-task", 1, List.of("app"))) {
            try (ConfigurableApplicationContext app =
                    new SpringApplicationBuilder(BatchgateApplication.class).run(arguments(sim))) {
                ApiClient api = new ApiClient(
                        ((WebServerApplicationContext) app).getWebServer().getPort());
                // A warm-up trigger (not counted), then a fresh quota for the burst.
                api.awaitFinal(api.trigger("sim", Map.of("SIM_RUN_MS", "0")));
                Thread.sleep(6_000); // batchgate's own bucket refills to its burst of 100 (5 s at 20/s)
                sim.throttleRunTask(QUOTA_RATE, QUOTA_BURST);
                sim.resetCounters();
                int tasksBefore = sim.tasks().size();

                // 1. Fire N triggers from 16 threads.
                long fireStart = System.nanoTime();
                List<String> runIds = fire(api, n);
                double fireSeconds = (System.nanoTime() - fireStart) / 1e9;

                // 2. Wait until every run is final (the quota alone needs (N - 100) / 20 s; allow 4x that + 3 min).
                Duration timeout = Duration.ofSeconds((long) (4 * (n - QUOTA_BURST) / QUOTA_RATE) + 180);
                Map<String, JsonNode> finals = awaitAllFinal(api, runIds, timeout);

                // 3. Figures.
                List<Instant> launches = sim.runTaskLaunchTimes();
                int throttled = sim.throttled();
                Map<String, Integer> calls = sim.callCounts();
                Map<String, Instant> launchByStartedBy = new HashMap<>();
                List<SimTask> tasks = sim.tasks();
                for (SimTask task : tasks.subList(tasksBefore, tasks.size())) {
                    launchByStartedBy.putIfAbsent(task.startedBy(), task.createdAt());
                }
                Map<String, Integer> statuses = new TreeMap<>();
                List<Double> waits = new ArrayList<>();
                int failed = 0;
                for (String runId : runIds) {
                    JsonNode run = finals.get(runId);
                    String status =
                            run == null ? "NOT_FINAL" : run.get("status").asString();
                    statuses.merge(status, 1, Integer::sum);
                    if ("FAILED".equals(status)) {
                        failed++;
                    }
                    Instant launched = launchByStartedBy.get("batchgate/" + runId + "/1");
                    if (run != null && launched != null) {
                        Instant created = instant(run.get("createdAt"));
                        waits.add(Duration.between(created, launched).toNanos() / 1e6);
                    }
                }
                double[] waitMs =
                        waits.stream().mapToDouble(Double::doubleValue).toArray();
                double drainSeconds = launches.size() < 2
                        ? Double.NaN
                        : Duration.between(launches.get(0), launches.get(launches.size() - 1))
                                        .toNanos()
                                / 1e9;
                double rate = (launches.size() - QUOTA_BURST) / drainSeconds;

                report.add("triggers", n, "runs");
                report.add("trigger_fire_s", fireSeconds, "s");
                report.add("trigger_rate_per_s", n / fireSeconds, "per_s");
                report.add("tasks_launched", launches.size(), "tasks");
                report.add("launch_span_s", drainSeconds, "s");
                report.add("launch_rate_per_s", rate, "per_s");
                report.add("launch_vs_quota", rate / QUOTA_RATE, "ratio");
                report.add("throttled_calls", throttled, "calls");
                report.add("runtask_calls", calls.getOrDefault("RunTask", 0), "calls");
                report.add("runs_failed_for_throttling", failed, "runs");
                report.add("runs_not_final", statuses.getOrDefault("NOT_FINAL", 0), "runs");
                report.add("trigger_to_runtask_ms_p50", BenchReport.percentile(waitMs, 50), "ms");
                report.add("trigger_to_runtask_ms_p99", BenchReport.percentile(waitMs, 99), "ms");
                report.add("trigger_to_runtask_ms_max", BenchReport.percentile(waitMs, 100), "ms");
                report.add(
                        "quota_floor_last_launch_s",
                        (n - QUOTA_BURST) / QUOTA_RATE,
                        "s"); // the earliest the quota allows the last launch after the first
                report.note("launches per 5 s from the first: " + perWindow(launches, Duration.ofSeconds(5)));
                report.note("final statuses: " + statuses + "; simulator calls: " + calls);
                report.write();

                assertThat(launches).as("one task per run").hasSize(n);
                assertThat(statuses).containsOnlyKeys("SUCCEEDED");
            }
        }
    }

    private String[] arguments(EcsSimulator sim) {
        Path catalog = dataDir.resolve("catalog");
        try {
            Files.createDirectories(catalog);
            Files.writeString(catalog.resolve("sim.yaml"), SIM_JOBS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // EcsTestSupport.arguments(sim, dataDir), with tracking at 1 s and quiet logs.
        return new String[] {
            "--batchgate.data-dir=" + dataDir,
            "--batchgate.catalog.dir=" + catalog,
            "--batchgate.auth.tokens[0].name=ci",
            "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
            "--batchgate.auth.tokens[0].scopes=admin",
            "--batchgate.auth.trigger-rate.per-second=100000",
            "--batchgate.auth.trigger-rate.burst=100000",
            "--batchgate.runtime.default=ecs",
            "--batchgate.runtime.ecs.enabled=true",
            "--batchgate.runtime.ecs.endpoint=" + sim.endpoint(),
            "--batchgate.runtime.ecs.track-interval=1s",
            "--batchgate.launch.infra-retry.initial-backoff=50ms",
            "--batchgate.launch.infra-retry.max-backoff=200ms",
            "--spring.cloud.aws.sqs.listener.poll-timeout=1s",
            "--server.port=0",
            "--logging.level.root=warn",
            "--logging.level.io.batchgate=warn"
        };
    }

    private static List<String> fire(ApiClient api, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                parts.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    while (next.getAndIncrement() < n) {
                        mine.add(api.trigger("sim", Map.of("SIM_RUN_MS", "1000")));
                    }
                    return mine;
                }));
            }
            List<String> all = new ArrayList<>(n);
            for (Future<List<String>> part : parts) {
                all.addAll(part.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls the status API until every run is final or the timeout passes; returns the final ones. */
    private static Map<String, JsonNode> awaitAllFinal(ApiClient api, List<String> runIds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, JsonNode> finals = new HashMap<>();
        while (finals.size() < runIds.size() && System.nanoTime() < deadline) {
            for (String runId : runIds) {
                if (!finals.containsKey(runId)) {
                    JsonNode run = api.run(runId);
                    if (FINAL.contains(run.get("status").asString())) {
                        finals.put(runId, run);
                    } else {
                        break; // runs finish roughly in trigger order; look again later
                    }
                }
            }
            if (finals.size() < runIds.size()) {
                Thread.sleep(500);
            }
        }
        return finals;
    }

    /** How many launches fell in each window after the first launch. */
    private static List<Integer> perWindow(List<Instant> launches, Duration window) {
        List<Integer> counts = new ArrayList<>();
        if (launches.isEmpty()) {
            return counts;
        }
        Instant first = launches.get(0);
        for (Instant at : launches) {
            int index = (int) (Duration.between(first, at).toNanos() / window.toNanos());
            while (counts.size() <= index) {
                counts.add(0);
            }
            counts.set(index, counts.get(index) + 1);
        }
        return counts;
    }

    private static Instant instant(JsonNode node) {
        return node.isNumber() ? Instant.ofEpochMilli((long) (node.asDouble() * 1000)) : Instant.parse(node.asString());
    }
}
