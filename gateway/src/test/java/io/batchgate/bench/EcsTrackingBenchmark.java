package io.batchgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.quota.LaunchBucket;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.ecs.DerivedTaskDefinitions;
import io.batchgate.runner.runtime.ecs.EcsRuntimeProperties;
import io.batchgate.runner.runtime.ecs.EcsTaskRuntime;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.testing.TestDatabases;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;

/**
 * One {@link EcsTaskRuntime} following N running tasks in the ECS simulator: what a tracking
 * sweep costs in DescribeTasks calls, wall time and CPU, and what each watched task costs in heap.
 * See bench/README.md for the method.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class EcsTrackingBenchmark {

    private static final String CATALOG = """
            jobs:
              sim:
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0 }
            """;
    private static final int LAUNCH_THREADS = 8;
    /** Simulator server threads (its executor, its delay scheduler, the JDK HttpServer's own). */
    private static final List<String> SIMULATOR_THREADS = List.of("ecs-sim", "HTTP-Dispatcher", "server-timer");

    /** Liquibase logs every change set through java.util.logging; held so the level sticks. */
    private static final Logger QUIET_LIQUIBASE = Logger.getLogger("liquibase");

    @TempDir
    Path dir;

    @Test
    void trackManyRunningTasks() throws Exception {
        boolean quick = BenchReport.quick();
        int n = quick ? 1_000 : 10_000;
        int sweeps = quick ? 5 : 10;
        BenchReport report = new BenchReport("EcsTrackingBenchmark", quick);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        try (EcsSimulator sim =
                EcsSimulator.start().addCluster("batch").registerTaskDefinition("sim-task", 1, List.of("app"))) {
            int threadsBefore = threads.getThreadCount();
            QUIET_LIQUIBASE.setLevel(Level.WARNING);
            DataSource dataSource = TestDatabases.migrated(TestDatabases.newH2Database());
            Catalog catalog = TestCatalogs.load(dir.resolve("catalog"), CATALOG);
            JobDefinition job = catalog.job("sim").orElseThrow();
            // Bound like the application binds it, so fields added later take their defaults.
            EcsRuntimeProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                            "batchgate.runtime.ecs.enabled", "true",
                            "batchgate.runtime.ecs.region", "us-east-1",
                            "batchgate.runtime.ecs.endpoint", sim.endpoint().toString(),
                            "batchgate.runtime.ecs.launch-rate", "1000000",
                            "batchgate.runtime.ecs.launch-burst", "1000000",
                            "batchgate.runtime.ecs.permit-wait", "30s")))
                    .bindOrCreate("batchgate.runtime.ecs", EcsRuntimeProperties.class);
            // Launching is not the subject here: a bucket that never makes anyone wait.
            LaunchBucket bucket = new LaunchBucket(
                    "ecs:run-task",
                    properties.launchRate(),
                    properties.launchBurst(),
                    properties.throttleRecovery(),
                    JdbcClient.create(dataSource),
                    new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                    Clock.systemUTC());
            AtomicInteger exits = new AtomicInteger();
            // The same client as production (EcsRuntimeConfiguration): the SDK's default async HTTP client.
            try (EcsAsyncClient ecs = EcsAsyncClient.builder()
                    .endpointOverride(sim.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build()) {
                EcsTaskRuntime runtime = new EcsTaskRuntime(
                        ecs,
                        properties,
                        bucket,
                        new DerivedTaskDefinitions(
                                ecs, JdbcClient.create(dataSource), bucket, Duration.ofSeconds(5), Clock.systemUTC()),
                        (attempt, exit) -> exits.incrementAndGet(),
                        Clock.systemUTC());

                // 1. Launch N one-hour tasks through the runtime.
                long launchStart = System.nanoTime();
                List<String[]> launched = launch(runtime, job, n);
                double launchSeconds = (System.nanoTime() - launchStart) / 1e9;
                assertThat(launched).hasSize(n);
                assertThat(sim.launched()).isEqualTo(n);

                // 2. Heap with the tasks in the simulator but not yet watched, then watched.
                long heapBefore = usedHeapAfterFullGc();
                for (String[] task : launched) {
                    // Fresh copies, so the runtime holds the only reference to what it retains (as in
                    // production, where the launcher drops its handle once it is recorded).
                    runtime.watch(
                            new AttemptRef(new RunId(copy(task[0])), 1),
                            new TaskHandle(EcsTaskRuntime.NAME, copy(task[1])));
                }
                long heapAfter = usedHeapAfterFullGc();
                assertThat(runtime.watchedTasks()).isEqualTo(n);

                // 3. Sweeps: one warm-up, then K measured.
                sim.resetCounters();
                long firstStart = System.nanoTime();
                EcsTaskRuntime.SweepResult first = runtime.sweep();
                double firstMs = (System.nanoTime() - firstStart) / 1e6;
                assertThat(first.failedCalls()).isZero();

                double[] wallMs = new double[sweeps];
                double[] nonSimCpuMs = new double[sweeps];
                double[] processCpuMs = new double[sweeps];
                double[] sweepThreadCpuMs = new double[sweeps];
                long calls = 0;
                int failedCalls = 0;
                int ended = 0;
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                int liveThreads = 0;
                String threadGroups = "";
                for (int i = 0; i < sweeps; i++) {
                    long cpu0 = cpuNanosExcludingSimulator(threads);
                    long process0 = os.getProcessCpuTime();
                    long thread0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    EcsTaskRuntime.SweepResult result = runtime.sweep();
                    long t1 = System.nanoTime();
                    sweepThreadCpuMs[i] = (threads.getCurrentThreadCpuTime() - thread0) / 1e6;
                    processCpuMs[i] = (os.getProcessCpuTime() - process0) / 1e6;
                    nonSimCpuMs[i] = (cpuNanosExcludingSimulator(threads) - cpu0) / 1e6;
                    wallMs[i] = (t1 - t0) / 1e6;
                    calls += result.calls();
                    failedCalls += result.failedCalls();
                    ended += result.ended();
                    if (threads.getThreadCount() > liveThreads) {
                        liveThreads = threads.getThreadCount();
                        threadGroups = threadGroups(threads);
                    }
                }
                List<Integer> batches = sim.describeBatchSizes();
                double callsPerCycle = (double) calls / sweeps;

                report.add("tracked_tasks", n, "tasks");
                report.add("sweeps_measured", sweeps, "sweeps");
                report.add("describe_calls_per_cycle", callsPerCycle, "calls");
                report.add("describe_economy", callsPerCycle / Math.ceil(n / 100.0), "ratio");
                report.add(
                        "describe_batch_mean",
                        batches.stream().mapToInt(Integer::intValue).average().orElse(0),
                        "tasks");
                report.add("describe_calls_failed", failedCalls, "calls");
                report.add("tasks_ended_during_sweeps", ended + first.ended(), "tasks");
                report.add("sweep_ms_first", firstMs, "ms");
                report.add("sweep_ms_p50", BenchReport.percentile(wallMs, 50), "ms");
                report.add("sweep_ms_max", BenchReport.percentile(wallMs, 100), "ms");
                report.add("cpu_ms_per_cycle", mean(nonSimCpuMs), "ms");
                report.add("cpu_ms_per_cycle_sweep_thread", mean(sweepThreadCpuMs), "ms");
                report.add("cpu_ms_per_cycle_process", mean(processCpuMs), "ms");
                report.add("heap_watched_delta_bytes", heapAfter - heapBefore, "bytes");
                report.add("heap_per_tracked_task_bytes", (double) (heapAfter - heapBefore) / n, "bytes");
                report.add("live_threads", liveThreads, "threads");
                report.add("live_threads_before_runtime", threadsBefore, "threads");
                report.add("launch_setup_s", launchSeconds, "s");
                report.note("cpu_ms_per_cycle: CPU of every JVM thread except the simulator's server threads"
                        + " (ThreadMXBean); _sweep_thread: the calling thread only; _process: whole JVM,"
                        + " simulator included. GC runs outside Java threads and is in _process only.");
                report.note("live threads by name: " + threadGroups);
                report.write();

                assertThat(failedCalls).isZero();
                assertThat(exits.get()).isZero();
            }
        }
    }

    /** Launches {@code n} one-hour tasks from a few threads; returns (run id, task ARN) pairs. */
    private static List<String[]> launch(EcsTaskRuntime runtime, JobDefinition job, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LAUNCH_THREADS);
        try {
            List<Future<List<String[]>>> parts = new ArrayList<>();
            for (int t = 0; t < LAUNCH_THREADS; t++) {
                int share = n / LAUNCH_THREADS + (t < n % LAUNCH_THREADS ? 1 : 0);
                parts.add(pool.submit(() -> {
                    Random random = new Random();
                    List<String[]> mine = new ArrayList<>(share);
                    for (int i = 0; i < share; i++) {
                        AttemptRef attempt = new AttemptRef(RunId.next(System.currentTimeMillis(), random), 1);
                        StartResult result =
                                runtime.start(new TaskLaunch(attempt, job, Map.of("SIM_RUN_MS", "3600000")));
                        assertThat(result).isInstanceOf(StartResult.Started.class);
                        mine.add(new String[] {
                            attempt.runId().value(),
                            ((StartResult.Started) result).handle().id()
                        });
                    }
                    return mine;
                }));
            }
            List<String[]> all = new ArrayList<>(n);
            for (Future<List<String[]>> part : parts) {
                all.addAll(part.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A string with its own character array ({@code new String(String)} would share it). */
    private static String copy(String s) {
        return new String(s.toCharArray());
    }

    /** Used heap after full collections (System.gc() is a full stop-the-world GC under SerialGC). */
    static long usedHeapAfterFullGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Live threads counted by name with trailing digits dropped, e.g. {@code aws-java-sdk-NettyEventLoop-=4}. */
    private static String threadGroups(ThreadMXBean threads) {
        Map<String, Integer> groups = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                groups.merge(info.getThreadName().replaceAll("[0-9]+$", ""), 1, Integer::sum);
            }
        }
        return groups.toString();
    }

    /** CPU time of all live threads except the simulator's. */
    private static long cpuNanosExcludingSimulator(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || SIMULATOR_THREADS.stream().anyMatch(info.getThreadName()::startsWith)) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                total += cpu;
            }
        }
        return total;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}
