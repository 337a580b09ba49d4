package io.batchgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.queue.sqs.QueueUrl;
import io.batchgate.runner.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Trigger acceptance against its floor, on H2 (the embedded default) and on MariaDB: the most
 * triggers per second the HTTP API accepts (202: the run is committed and queued), divided by the
 * most the floor ({@link FloorTrigger}: the same rows with plain JDBC, then the same SendMessage)
 * achieves with the same number of workers, in alternating rounds; then latency percentiles at 25,
 * 50 and 90 % of batchgate's maximum with an open-loop load ({@link OpenLoop}). See bench/README.md.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class TriggerAcceptanceBenchmark {

    /** A gateway-only deployment: the runner is off, so nothing but acceptance uses the CPU. */
    private static final String CATALOG = """
            jobs:
              noop:
                description: Does nothing; only accepted here.
                local: { command: ["true"] }
            """;

    private static final int WORKERS = 16;
    private static final double[] LOAD_LEVELS = {0.25, 0.50, 0.90};

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    Path dir;

    @Test
    void acceptanceAgainstTheFloor() throws Exception {
        boolean quick = BenchReport.quick();
        BenchReport report = new BenchReport("TriggerAcceptanceBenchmark", quick);
        measure(report, quick, BenchDatabase.h2File(dir.resolve("h2")), "h2");
        if (BenchDatabase.mariaDbAvailable()) {
            measure(report, quick, BenchDatabase.newMariaDb(), "mariadb");
        } else {
            report.note("mariadb: skipped (mariadbd not installed; bench/run starts one when it is)");
        }
        report.write();
    }

    private void measure(BenchReport report, boolean quick, BenchDatabase database, String label) throws Exception {
        double roundSeconds = quick ? 2 : 5;
        int rounds = quick ? 1 : 3;
        int latencyRequests = quick ? 200 : 2_000;
        Path dataDir = dir.resolve(label);
        // The floor writes to its own copy of the schema on the same engine, so that the
        // application's outbox relay never sees (and sends again) the floor's rows.
        BenchDatabase floorDatabase = label.equals("h2")
                ? new BenchDatabase(
                        "h2-floor", "jdbc:h2:file:" + dataDir.resolve("floor/db") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "")
                : BenchDatabase.newMariaDb();
        TestDatabases.migrated(floorDatabase.url());

        try (BenchApp app = BenchApp.start(dataDir, CATALOG, database, "--batchgate.runner.enabled=false")) {
            URI trigger = URI.create("http://127.0.0.1:" + app.port() + "/api/v1/jobs/noop/runs");
            SqsAsyncClient sqs = app.bean(SqsAsyncClient.class);
            String queueUrl = app.bean(QueueUrl.class).get();
            ClosedLoop closedLoop = new ClosedLoop(WORKERS);
            ClosedLoop.WorkerFactory batchgate = () -> () -> {
                HttpResponse<Void> response = http.send(request(trigger), HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).isEqualTo(202);
            };
            ClosedLoop.WorkerFactory floor = () -> new FloorTrigger(floorDatabase, sqs, queueUrl);
            ClosedLoop.WorkerFactory databaseOnly = () -> new FloorTrigger(floorDatabase, null, queueUrl);

            // Warm-up (JIT, pools, caches), then alternating rounds: noise falls on both sides.
            closedLoop.opsPerSecond(batchgate, roundSeconds);
            closedLoop.opsPerSecond(floor, roundSeconds);
            closedLoop.opsPerSecond(databaseOnly, roundSeconds);
            List<Double> batchgateRates = new ArrayList<>();
            List<Double> floorRates = new ArrayList<>();
            List<Double> databaseOnlyRates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                batchgateRates.add(closedLoop.opsPerSecond(batchgate, roundSeconds));
                floorRates.add(closedLoop.opsPerSecond(floor, roundSeconds));
                databaseOnlyRates.add(closedLoop.opsPerSecond(databaseOnly, roundSeconds));
            }
            double batchgateMax = median(batchgateRates);
            double floorMax = median(floorRates);
            double databaseOnlyMax = median(databaseOnlyRates);
            report.add(label + "_accept_max_per_s", batchgateMax, "per_s");
            report.add(label + "_floor_max_per_s", floorMax, "per_s");
            report.add(label + "_floor_db_only_max_per_s", databaseOnlyMax, "per_s");
            report.add(label + "_accept_vs_floor", batchgateMax / floorMax, "ratio");
            report.add(label + "_accept_vs_db_only_floor", batchgateMax / databaseOnlyMax, "ratio");
            report.note(label + ": " + WORKERS + " workers, " + rounds + " rounds of " + roundSeconds
                    + " s each, per s: batchgate " + rounded(batchgateRates) + ", floor " + rounded(floorRates)
                    + ", floor without SendMessage " + rounded(databaseOnlyRates));

            OpenLoop openLoop = new OpenLoop(http);
            for (double level : LOAD_LEVELS) {
                double rate = batchgateMax * level;
                OpenLoop.Result result = openLoop.run(() -> request(trigger), 202, rate, latencyRequests);
                String prefix = label + "_accept_at_" + Math.round(level * 100) + "pct";
                report.add(prefix + "_rate", rate, "per_s");
                report.add(prefix + "_p50", BenchReport.percentile(result.latenciesMs(), 50), "ms");
                report.add(prefix + "_p99", BenchReport.percentile(result.latenciesMs(), 99), "ms");
                report.add(prefix + "_p999", BenchReport.percentile(result.latenciesMs(), 99.9), "ms");
                report.add(prefix + "_errors", result.errors(), "requests");
            }
        }
    }

    private static HttpRequest request(URI trigger) {
        return HttpRequest.newBuilder(trigger)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + GatewayTestSupport.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"params\":{}}"))
                .build();
    }

    private static double median(List<Double> values) {
        return BenchReport.percentile(
                values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
