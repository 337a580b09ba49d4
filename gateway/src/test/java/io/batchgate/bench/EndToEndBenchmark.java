package io.batchgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.gateway.ApiClient;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.h2.H2StorageProvider;
import org.jobrunr.storage.sql.mariadb.MariaDbStorageProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against a peer: N no-op jobs submitted, dispatched, executed and recorded as
 * succeeded, by batchgate (the ECS simulator answering at once, then the local runtime running
 * {@code true}) and by JobRunr, one after the other on the same database: the embedded default's
 * H2 file, then MariaDB. Throughput is N ÷ (first submission → all N seen finished); latency is
 * each job's submitted→finished time from the scheduler's own records. See bench/README.md for how
 * each is configured.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class EndToEndBenchmark {

    private static final String CATALOG = """
            jobs:
              sim:
                description: An ECS task in the simulator that ends at once with exit code 0.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, default: "0" }
              noop:
                description: The process "true" on this machine.
                runtime: local
                local: { command: ["true"] }
            """;
    /**
     * Submitting threads, for both. And the workers: batchgate's launch listener takes 10 messages
     * at a time (Spring Cloud AWS's default maxConcurrentMessages), so JobRunr gets 10 workers.
     */
    private static final int SUBMITTERS = 16;

    private static final int WORKERS = 10;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /**
     * On MariaDB each launch holds two connections at once (Spring Batch's MySQL id incrementer
     * takes its own), so with Hikari's default 10 the 10 launch listeners starve the pool (see
     * bench/RESULTS.md). Both schedulers get this pool size there; on H2 both keep Hikari's default.
     */
    private static final int MARIADB_POOL = 25;

    private final List<String> phasesAskedFor =
            List.of(System.getProperty("bench.e2e.phases", "sim,local,jobrunr").split(","));

    @TempDir
    Path dir;

    @Test
    void batchgateAgainstJobRunr() throws Exception {
        boolean quick = BenchReport.quick();
        // -Dbench.e2e.n, -Dbench.e2e.databases=h2,mariadb and -Dbench.e2e.phases=sim,local,jobrunr
        // narrow a run down when profiling one part
        int n = Integer.getInteger("bench.e2e.n", quick ? 40 : 5_000);
        List<String> databases =
                List.of(System.getProperty("bench.e2e.databases", "h2,mariadb").split(","));
        BenchReport report = new BenchReport("EndToEndBenchmark", quick);
        report.add("e2e_jobs", n, "jobs");
        if (!databases.equals(List.of("h2", "mariadb")) || phasesAskedFor.size() < 3) {
            report.note("narrowed down: databases " + databases + ", phases " + phasesAskedFor);
        }
        if (databases.contains("h2")) {
            compare(report, n, BenchDatabase.h2File(dir.resolve("h2")), "h2");
        }
        if (!databases.contains("mariadb")) {
            report.note("mariadb: not asked for (-Dbench.e2e.databases)");
        } else if (BenchDatabase.mariaDbAvailable()) {
            compare(report, n, BenchDatabase.newMariaDb(), "mariadb");
        } else {
            report.note("mariadb: skipped (mariadbd not installed; bench/run starts one when it is)");
        }
        report.note("JobRunr " + JobRunr.class.getPackage().getImplementationVersion() + ": "
                + BackgroundJobServerConfiguration.class.getSimpleName() + " standard configuration (poll interval "
                + BackgroundJobServerConfiguration.DEFAULT_POLL_INTERVAL.toSeconds() + " s) with " + WORKERS
                + " workers; Hikari pool defaults; jobs enqueued one by one from " + SUBMITTERS + " threads");
        report.write();
    }

    private void compare(BenchReport report, int n, BenchDatabase database, String label) throws Exception {
        Map<String, Phase> phases = new LinkedHashMap<>();
        if (phasesAskedFor.contains("sim") || phasesAskedFor.contains("local")) {
            try (EcsSimulator simulator = EcsSimulator.start()
                            .addCluster("batch")
                            .registerTaskDefinition("sim-task", 1, List.of("app"));
                    BenchApp app = BenchApp.start(
                            dir.resolve(label),
                            CATALOG,
                            database,
                            "--batchgate.runtime.default=ecs",
                            "--batchgate.runtime.ecs.enabled=true",
                            "--batchgate.runtime.ecs.endpoint=" + simulator.endpoint(),
                            // This simulator enforces no RunTask quota (LaunchBurstBenchmark measures that).
                            "--batchgate.runtime.ecs.launch-rate=1000000",
                            "--batchgate.runtime.ecs.launch-burst=1000000",
                            "--spring.datasource.hikari.maximum-pool-size=" + poolSize(label))) {
                if (phasesAskedFor.contains("sim")) {
                    phases.put("sim", batchgate(app, database, "sim", n, label));
                }
                if (phasesAskedFor.contains("local")) {
                    phases.put("local", batchgate(app, database, "noop", n, label));
                }
            }
        }
        if (phasesAskedFor.contains("jobrunr")) {
            phases.put("jobrunr", jobRunr(database, label, n));
        }

        for (Phase phase : phases.values()) {
            String prefix = label + "_" + phase.name();
            report.add(prefix + "_per_s", phase.perSecond(), "per_s");
            report.add(prefix + "_p50_ms", BenchReport.percentile(phase.latenciesMs(), 50), "ms");
            report.add(prefix + "_p99_ms", BenchReport.percentile(phase.latenciesMs(), 99), "ms");
            report.add(prefix + "_submit_s", phase.submitSeconds(), "s");
            report.add(prefix + "_jvm_cpu_ms_per_job", phase.jvmCpuMsPerJob(), "ms");
            if (label.equals("mariadb")) { // on H2 the database is in the JVM
                phase.mariaDbCpuMsPerJob().ifPresent(ms -> report.add(prefix + "_mariadb_cpu_ms_per_job", ms, "ms"));
                phase.mariaDbCpuMsPerJob()
                        .ifPresent(ms -> report.add(prefix + "_cpu_ms_per_job", phase.jvmCpuMsPerJob() + ms, "ms"));
                // SHOW GLOBAL STATUS deltas per job: "Questions" counts every statement the server ran
                phase.statusPerJob()
                        .forEach((name, value) -> report.add(
                                prefix + "_" + name.toLowerCase(java.util.Locale.ROOT) + "_per_job", value, "count"));
            }
        }
        Phase jobRunr = phases.get("jobrunr");
        Phase sim = phases.get("sim");
        if (label.equals("mariadb") && jobRunr != null && sim != null) {
            jobRunr.mariaDbCpuMsPerJob().ifPresent(jobRunrServer -> sim.mariaDbCpuMsPerJob()
                    .ifPresent(simServer -> report.add(
                            label + "_cpu_per_job_vs_jobrunr",
                            (sim.jvmCpuMsPerJob() + simServer) / (jobRunr.jvmCpuMsPerJob() + jobRunrServer),
                            "ratio")));
        }
        if (jobRunr != null && phases.containsKey("sim")) {
            report.add(label + "_e2e_vs_jobrunr", phases.get("sim").perSecond() / jobRunr.perSecond(), "ratio");
        }
        if (jobRunr != null && phases.containsKey("local")) {
            report.add(label + "_e2e_vs_jobrunr_local", phases.get("local").perSecond() / jobRunr.perSecond(), "ratio");
        }
        if (label.equals("mariadb")) {
            report.note("mariadb: Connector/J sends no fractional seconds to MariaDB 10.x, so both schedulers'"
                    + " recorded times, and the latencies above, are whole seconds there");
        }
    }

    /** One scheduler doing the N jobs: how fast, and each job's submitted→finished time. */
    private record Phase(
            String name,
            double perSecond,
            double submitSeconds,
            double[] latenciesMs,
            double jvmCpuMsPerJob,
            OptionalDouble mariaDbCpuMsPerJob,
            Map<String, Double> statusPerJob) {}

    private Phase batchgate(BenchApp app, BenchDatabase database, String job, int n, String label) throws Exception {
        ApiClient api = app.api();
        Map<String, String> params = Map.of();
        List<String> warmUp = new ArrayList<>();
        for (int i = 0; i < warmUpJobs(); i++) { // warm-up, not counted
            warmUp.add(api.trigger(job, params));
        }
        warmUp.forEach(api::awaitFinal);
        // The benchmark's polling has a pool of its own (auto-commit on, like JobRunr's), so that it
        // adds to neither the application's pool nor, on MariaDB, its commits per run.
        try (HikariDataSource poller = new HikariDataSource()) {
            poller.setJdbcUrl(database.url());
            poller.setUsername(database.user());
            poller.setPassword(database.password());
            poller.setMaximumPoolSize(1);
            RunTimes times = RunTimes.batchgate(poller, job);
            return measure(
                    "batchgate_" + (job.equals("sim") ? "sim" : "local"),
                    label,
                    times,
                    n,
                    () -> api.trigger(job, params));
        }
    }

    private Phase jobRunr(BenchDatabase database, String label, int n) throws Exception {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(database.url());
            dataSource.setUsername(database.user());
            dataSource.setPassword(database.password());
            dataSource.setMaximumPoolSize(poolSize(label));
            StorageProvider storage =
                    label.equals("h2") ? new H2StorageProvider(dataSource) : new MariaDbStorageProvider(dataSource);
            JobRunrConfigurationResult jobRunr = JobRunr.configure()
                    .useStorageProvider(storage)
                    .useBackgroundJobServer(
                            BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                                    .andWorkerCount(WORKERS))
                    .initialize();
            try {
                JobScheduler scheduler = jobRunr.getJobScheduler();
                RunTimes times = RunTimes.jobRunr(dataSource);
                Instant warmUp = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                for (int i = 0; i < warmUpJobs(); i++) { // warm-up, not counted
                    scheduler.enqueue(() -> NoOpJob.run());
                }
                times.awaitFinished(warmUp, warmUpJobs(), TIMEOUT);
                return measure("jobrunr", label, times, n, () -> scheduler.enqueue(() -> NoOpJob.run()));
            } finally {
                jobRunr.getBackgroundJobServer().stop();
                JobRunr.destroy();
            }
        }
    }

    /**
     * Jobs run before each measured phase and not counted: none in quick mode, a smoke test whose
     * figures mean nothing, where JobRunr's warm-up alone costs a 15 s poll per database.
     */
    private static int warmUpJobs() {
        return BenchReport.quick() ? 0 : 20;
    }

    private static int poolSize(String label) {
        return label.equals("mariadb") ? MARIADB_POOL : 10; // 10: Hikari's default
    }

    private interface Submission {
        void submit() throws Exception;
    }

    /** Submits n jobs from {@link #SUBMITTERS} threads, then waits until all n are finished. */
    private static Phase measure(String name, String label, RunTimes times, int n, Submission submission)
            throws Exception {
        Thread.sleep(1_100); // so that no warm-up job shares a second with the measured ones (MariaDB keeps seconds)
        Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean onMariaDb = label.equals("mariadb");
        ServerStatus statusBefore = onMariaDb ? ServerStatus.read() : null;
        String generalLog = System.getProperty("bench.e2e.general-log");
        if (onMariaDb && generalLog != null) {
            ServerStatus.generalLog(Path.of(generalLog, name + ".log").toString());
        }
        CpuTime cpuBefore = CpuTime.now();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<Void>> submitters = new ArrayList<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                submitters.add(pool.submit(() -> {
                    while (next.getAndIncrement() < n) {
                        submission.submit();
                    }
                    return null;
                }));
            }
            for (Future<Void> submitter : submitters) {
                submitter.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        times.awaitFinished(since, n, TIMEOUT);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuTime cpuAfter = CpuTime.now();
        if (onMariaDb && generalLog != null) {
            ServerStatus.generalLog(null);
        }
        Map<String, Double> statusPerJob = onMariaDb ? ServerStatus.read().perJob(statusBefore, n) : Map.of();
        double[] latencies = times.latenciesMs(since);
        assertThat(latencies).as("%s: every job succeeded", name).hasSize(n);
        return new Phase(
                name,
                n / seconds,
                submitSeconds,
                latencies,
                cpuAfter.jvmMsPerJob(cpuBefore, n),
                cpuAfter.mariaDbMsPerJob(cpuBefore, n),
                statusPerJob);
    }
}
