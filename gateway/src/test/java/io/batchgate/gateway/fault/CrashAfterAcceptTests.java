package io.batchgate.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.ApiClient;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.JsonNode;

/**
 * "Accepted means committed", under {@code kill -9}: the whole embedded application (queue,
 * runner, gateway) runs as its own JVM; each round triggers a few runs, reads each back, kills
 * the JVM with SIGKILL within milliseconds and starts it again on the same data directory. Every
 * run answered 202 must still exist after the restart and end final, and no attempt may run
 * twice (each job appends {@code <run> <attempt>} to a ledger file). One JVM start per round: the
 * restart of one round serves the next.
 *
 * <p>On H2 this is what the file store's write delay broke: a commit answered 202 could still be
 * in memory when the process died. On MariaDB the process does not own the database, so the
 * test checks the rest of the path (outbox re-send, take-over of the jobs the dead JVM started).
 *
 * <p>Everything it uses is its own (JVMs, data directory, MariaDB database), so it runs beside the
 * other test classes: its 60 JVM starts would otherwise be six minutes of the suite on their own.
 */
@Tag("fault")
@Execution(ExecutionMode.CONCURRENT)
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashAfterAcceptTests {

    /**
     * H2 is where the defect was (commits written lazily by the embedded database itself): 50
     * rounds. On MariaDB the database outlives the killed JVM, so the rounds test only the
     * application's own take-over; 10 keep CI within its budget (50 were run by hand, see README).
     */
    static final int H2_ROUNDS = Integer.getInteger("fault.crash.rounds", 50);

    static final int MARIADB_ROUNDS = Integer.getInteger("fault.crash.mariadb.rounds", 10);
    static final int TRIGGERS_PER_ROUND = 3;

    static final String CATALOG = """
            jobs:
              note:
                description: Notes its attempt in LEDGER and ends after a moment.
                local:
                  command: ["sh", "-c", "echo \\"$BATCHGATE_RUN_ID $BATCHGATE_ATTEMPT\\" >> \\"$LEDGER\\"; sleep 0.2"]
                params:
                  LEDGER: { type: string, required: true, maxLength: 1024 }
            """;

    @TempDir
    Path dir;

    private static final Pattern STARTED_IN = Pattern.compile("Started BatchgateApplication in ([0-9.]+) seconds");

    private final List<Double> startSeconds = new ArrayList<>();
    private Process app;
    private Path dataDir;

    /** The JVM, then every job it started: they run in sessions of their own (setsid). */
    @AfterEach
    void killEverything() throws Exception {
        if (app != null) {
            app.destroyForcibly().waitFor();
        }
        if (dataDir != null) {
            JobProcesses.killAll(dataDir);
        }
    }

    @Test
    @Order(2)
    void acceptedRunsSurviveKillNineOfTheEmbeddedDefaultOnH2() throws Exception {
        crashLoop("h2", H2_ROUNDS, List.of());
    }

    /**
     * First, and the only part that holds the MariaDB server: {@link DatabaseRestartTests}, which
     * restarts it and comes last, need not wait for the long H2 loop.
     */
    @Test
    @Order(1)
    @ResourceLock(value = DatabaseRestartTests.MARIADB_SERVER, mode = ResourceAccessMode.READ)
    void acceptedRunsSurviveKillNineOfTheEmbeddedApplicationOnMariaDb() throws Exception {
        String db = TestDatabases.newMariaDbDatabase();
        crashLoop(
                "mariadb",
                MARIADB_ROUNDS,
                List.of(
                        "--spring.datasource.url=" + db,
                        "--spring.datasource.username=" + TestDatabases.MARIADB_USER,
                        "--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD));
    }

    private void crashLoop(String name, int rounds, List<String> databaseArgs) throws Exception {
        long began = System.nanoTime();
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("crash.yaml"), CATALOG);
        dataDir = Files.createDirectories(dir.resolve("data"));
        Path ledger = Files.createFile(dir.resolve("ledger.txt"));
        List<String> args = new ArrayList<>(List.of(
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog,
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s",
                // an attempt caught mid-launch by the kill is taken over after the lease, not 2 min
                "--batchgate.runner.launch-lease=5s",
                "--batchgate.runner.adoption-interval=1s",
                "--logging.level.root=warn",
                "--logging.level.io.batchgate=info",
                "--logging.level.org.springframework.boot.StartupInfoLogger=info"));
        args.addAll(databaseArgs);

        Map<String, Integer> accepted = new LinkedHashMap<>();
        Set<String> lost = new TreeSet<>();
        List<String> previousRound = List.of();
        int kills = 0;
        ApiClient api = start(args, 0);
        for (int round = 1; round <= rounds; round++) {
            lost.addAll(missing(api, previousRound));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TRIGGERS_PER_ROUND; i++) {
                ids.add(api.trigger("note", Map.of("LEDGER", ledger.toString())));
            }
            for (String id : ids) {
                HttpResponse<String> read = api.get("/api/v1/runs/" + id);
                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                assertThat(api.json(read).get("status").asString()).isNotBlank();
                accepted.put(id, round);
            }
            app.destroyForcibly().waitFor();
            kills++;
            previousRound = ids;
            api = start(args, round);
        }
        lost.addAll(missing(api, previousRound));
        // a run found right after its restart must not disappear later either
        lost.addAll(missing(api, accepted.keySet()));

        List<String> present =
                accepted.keySet().stream().filter(id -> !lost.contains(id)).toList();
        Map<String, JsonNode> finals = FaultRuns.awaitFinal(api, present, Duration.ofMinutes(3));
        Map<String, Long> ledgerLines = FaultRuns.ledgerCounts(ledger);
        long duplicated = ledgerLines.values().stream().filter(n -> n > 1).count();
        List<String> notFinal =
                present.stream().filter(id -> !finals.containsKey(id)).toList();
        long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();

        String prefix = "fault.crash." + name + ".";
        System.out.println(prefix + "rounds: " + rounds);
        System.out.println(prefix + "triggers: " + accepted.size());
        System.out.println(prefix + "kills: " + kills);
        System.out.println(prefix + "lost: " + lost.size());
        System.out.println(prefix + "not-final: " + notFinal.size());
        System.out.println(prefix + "duplicated: " + duplicated);
        System.out.println(prefix + "wall-seconds: " + seconds);
        System.out.println(prefix + "jvm-start-seconds-avg: "
                + startSeconds.stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(0));
        Path h2File = dataDir.resolve("db/batchgate.mv.db");
        if (Files.exists(h2File)) {
            System.out.println(prefix + "h2-file-bytes: " + Files.size(h2File));
        }
        lost.forEach(id -> System.out.println(prefix + "lost-run: " + id + " (round " + accepted.get(id) + ")"));
        ApiClient last = api;
        notFinal.forEach(id -> System.out.println(
                prefix + "not-final-run: " + last.get("/api/v1/runs/" + id).body()));
        assertThat(lost)
                .as("runs answered 202 and read back, gone after kill -9")
                .isEmpty();
        assertThat(notFinal).as("runs that never ended").isEmpty();
        assertThat(duplicated).as("attempts started twice").isZero();
        assertThat(kills).isEqualTo(rounds);
    }

    /** The runs that answer 404 now. */
    private static List<String> missing(ApiClient api, Iterable<String> ids) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            HttpResponse<String> read = api.get("/api/v1/runs/" + id);
            if (read.statusCode() == 404) {
                missing.add(id);
            } else {
                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            }
        }
        return missing;
    }

    private ApiClient start(List<String> args, int round) throws Exception {
        Path log = dir.resolve("app-" + round + ".log");
        List<String> command = new ArrayList<>(args);
        // port 0: a port picked here could be taken by the embedded queue's own dynamic port
        command.add("--server.port=0");
        command.add("--server.address=127.0.0.1");
        command.add("--logging.level.org.springframework.boot.tomcat.TomcatWebServer=info");
        // C1 only: each JVM lives a few seconds, and 60 starts dominate the fault suite's time
        app = AppJvm.start(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), command, log);
        String started = AppJvm.awaitStarted(app, log, Duration.ofMinutes(2));
        Matcher seconds = STARTED_IN.matcher(started);
        if (seconds.find()) {
            startSeconds.add(Double.parseDouble(seconds.group(1)));
        }
        return new ApiClient(AppJvm.port(started));
    }
}
