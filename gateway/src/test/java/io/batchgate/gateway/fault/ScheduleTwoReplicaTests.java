package io.batchgate.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two replicas of the application as two JVMs sharing one MariaDB database and one SQS queue,
 * both running the scheduler loop on a schedule that fires every minute; one replica is killed
 * (SIGKILL) at a fire's nominal instant. Every nominal time from the first fire on must have
 * exactly one fire row and exactly one run. Prints the figures: fires, fires per replica,
 * duplicate inserts the ledger turned away (the survivor's counter), nominal time to run accepted.
 *
 * <p>It runs beside the other test classes (it mostly waits for minute boundaries), reading the
 * MariaDB server that {@link DatabaseRestartTests} restarts: the two never overlap.
 */
@Tag("fault")
@Execution(ExecutionMode.CONCURRENT)
@Order(1)
@ResourceLock(value = DatabaseRestartTests.MARIADB_SERVER, mode = ResourceAccessMode.READ)
class ScheduleTwoReplicaTests {

    static final String CATALOG = """
            jobs:
              tick:
                description: Fired every minute by both replicas' schedulers; must run once per minute.
                local: { command: ["true"] }
                params: { DAY: { type: date } }
                schedule: { cron: "* * * * *", params: { DAY: "${AJSEXDATE}" }, grace: 1m }
            """;

    @TempDir
    Path dir;

    private SQSRestServer sqs;
    private final List<Process> replicas = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process replica : replicas) {
            replica.destroyForcibly();
        }
        for (Process replica : replicas) {
            replica.waitFor(30, TimeUnit.SECONDS);
        }
        JobProcesses.killAll(dir.resolve("data"));
        if (sqs != null) {
            sqs.stopAndWait();
        }
    }

    @Test
    void oneRunPerNominalTimeWhenAReplicaIsKilledAtTheFireInstant() throws Exception {
        String db = TestDatabases.newMariaDbDatabase();
        TestDatabases.migrated(db);
        int sqsPort = AppJvm.freePort();
        sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort).start();
        sqs.waitUntilStarted();
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("tick.yaml"), CATALOG);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Path logs = Files.createDirectories(Path.of("target", "schedule-two-replica-logs"));
        List<Path> logFiles = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = logs.resolve("replica-" + i + ".log");
            logFiles.add(log);
            replicas.add(AppJvm.start(ReplicaArguments.JVM_OPTIONS, args(i, db, sqsPort, catalog, dataDir), log));
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ports.add(AppJvm.port(AppJvm.awaitStarted(replicas.get(i), logFiles.get(i), Duration.ofMinutes(3))));
        }
        Instant started = Instant.now();
        // the first nominal time both replicas saw coming
        Instant first =
                started.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
        awaitRuns(db, first, Duration.ofMinutes(2));

        // kill replica 0 at the next fire's nominal instant
        Instant killAt = first.plusSeconds(60);
        long wait = Duration.between(Instant.now(), killAt).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        replicas.get(0).destroyForcibly();
        Instant killed = Instant.now();
        replicas.get(0).waitFor(30, TimeUnit.SECONDS);

        Instant last = killAt.plusSeconds(60);
        awaitRuns(db, last, Duration.ofMinutes(3));

        Map<Instant, List<String>> fires = fires(db);
        Map<String, Integer> runsBySource = runsBySource(db);
        List<Instant> nominal = new ArrayList<>();
        for (Instant t = first; !t.isAfter(last); t = t.plusSeconds(60)) {
            nominal.add(t);
        }
        for (Instant t : nominal) {
            assertThat(fires).as("a fire row for " + t).containsKey(t);
            assertThat(runsBySource.get("schedule:tick@" + t))
                    .as("runs for " + t)
                    .isEqualTo(1);
        }
        assertThat(runsBySource.values()).allMatch(n -> n == 1);
        String duplicates = metric(ports.get(1), "batchgate_schedule_duplicates_total");
        List<Long> lags = lagsMillis(db);
        System.out.println("fault.schedule-two-replicas.killed-at-ms-after-nominal: "
                + Duration.between(killAt, killed).toMillis());
        System.out.println("fault.schedule-two-replicas.fires: " + fires.size() + " " + fires);
        System.out.println("fault.schedule-two-replicas.runs: "
                + runsBySource.values().stream().mapToInt(i -> i).sum());
        System.out.println("fault.schedule-two-replicas.duplicates-turned-away-by-survivor: " + duplicates);
        System.out.println("fault.schedule-two-replicas.nominal-to-accepted-ms: " + lags);
    }

    private static void awaitRuns(String db, Instant nominal, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (runsBySource(db).containsKey("schedule:tick@" + nominal)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no run for " + nominal + " within " + timeout + "; runs: " + runsBySource(db));
    }

    private static Connection connect(String db) throws Exception {
        return DriverManager.getConnection(db, TestDatabases.MARIADB_USER, TestDatabases.MARIADB_PASSWORD);
    }

    private static Map<String, Integer> runsBySource(String db) throws Exception {
        Map<String, Integer> runs = new TreeMap<>();
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT source, COUNT(*) FROM bg_run WHERE job = 'tick' GROUP BY source")) {
            while (rs.next()) {
                runs.put(rs.getString(1), rs.getInt(2));
            }
        }
        return runs;
    }

    private static Map<Instant, List<String>> fires(String db) throws Exception {
        Map<Instant, List<String>> fires = new TreeMap<>();
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT nominal_time, fired_by, run_id FROM bg_schedule_fire")) {
            while (rs.next()) {
                fires.computeIfAbsent(
                                rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC), t -> new ArrayList<>())
                        .add(rs.getString(2).replaceAll(".*/", "") + (rs.getString(3) == null ? " (no run)" : ""));
            }
        }
        return fires;
    }

    private static List<Long> lagsMillis(String db) throws Exception {
        List<Long> lags = new ArrayList<>();
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT nominal_time, accepted_at FROM bg_schedule_fire ORDER BY nominal_time")) {
            while (rs.next()) {
                LocalDateTime accepted = rs.getObject(2, LocalDateTime.class);
                if (accepted != null) {
                    lags.add(Duration.between(rs.getObject(1, LocalDateTime.class), accepted)
                            .toMillis());
                }
            }
        }
        return lags;
    }

    /** The value of a counter in the replica's Prometheus scrape, or what went wrong. */
    private static String metric(int port, String name) {
        try {
            HttpResponse<String> scrape = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                    .header("Authorization", "Bearer " + GatewayTestSupport.TOKEN)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return scrape.body()
                    .lines()
                    .filter(line -> line.startsWith(name))
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("0 (" + name + " not in the scrape, status " + scrape.statusCode() + ")");
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }

    private static List<String> args(int replica, String db, int sqsPort, Path catalog, Path dataDir) {
        return ReplicaArguments.of(
                replica,
                db,
                sqsPort,
                catalog,
                dataDir,
                "admin,metrics",
                List.of(
                        "--batchgate.schedule.interval=200ms",
                        "--batchgate.schedule.late-after=30s",
                        "--batchgate.schedule.replica=replica-" + replica));
    }
}
