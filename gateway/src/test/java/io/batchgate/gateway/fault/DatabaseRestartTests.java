package io.batchgate.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.ApiClient;
import io.batchgate.gateway.BatchgateApplication;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The MariaDB server is restarted (down for a few seconds) while runs are in flight and triggers
 * keep coming: the application recovers by itself, every trigger it accepted (202) ends
 * SUCCEEDED, and no attempt is started twice. Needs the restart script {@code scripts/test}
 * exports as {@code BATCHGATE_TEST_MARIADB_RESTART}.
 */
@Tag("fault")
@ResourceLock(DatabaseRestartTests.MARIADB_SERVER)
@Order(Integer.MAX_VALUE)
class DatabaseRestartTests {

    /** The one MariaDB server of the test run, which this class restarts. */
    static final String MARIADB_SERVER = "mariadb-server";

    static final int BEFORE = 40;
    static final int DURING = 20;
    static final int DOWN_SECONDS = 3;
    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

    static final String CATALOG = """
            jobs:
              sleeper:
                description: Notes its attempt in LEDGER, then sleeps DELAY seconds.
                local:
                  command: ["sh", "-c", "echo \\"$BATCHGATE_RUN_ID $BATCHGATE_ATTEMPT\\" >> \\"$LEDGER\\"; sleep \\"$DELAY\\""]
                params:
                  LEDGER: { type: string, required: true, maxLength: 1024 }
                  DELAY: { type: string, pattern: '[0-9]+([.][0-9]+)?', default: "1" }
            """;

    @TempDir
    Path dir;

    @AfterEach
    void killJobsLeftRunning() {
        JobProcesses.killAll(dir.resolve("data"));
    }

    static String restartScript() {
        String script = System.getenv("BATCHGATE_TEST_MARIADB_RESTART");
        if (script == null || script.isBlank()) {
            if ("1".equals(System.getenv("BATCHGATE_REQUIRE_MARIADB"))) {
                throw new IllegalStateException(
                        "BATCHGATE_REQUIRE_MARIADB=1 but BATCHGATE_TEST_MARIADB_RESTART is unset (run scripts/test)");
            }
            Assumptions.abort("no restartable MariaDB server (run the suite with scripts/test)");
        }
        return script;
    }

    @Test
    void runsInFlightSurviveARestartOfTheDatabase() throws Exception {
        String restart = restartScript();
        String db = TestDatabases.newMariaDbDatabase();
        long began = System.nanoTime();
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("fault.yaml"), CATALOG);
        Path ledger = Files.createFile(dir.resolve("ledger.txt"));
        Random random = new Random(42);

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchgateApplication.class)
                .run(
                        "--server.port=0",
                        "--batchgate.data-dir=" + dir.resolve("data"),
                        "--batchgate.catalog.dir=" + catalog,
                        "--batchgate.auth.tokens[0].name=ci",
                        "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                        "--batchgate.auth.tokens[0].scopes=admin",
                        "--batchgate.auth.trigger-rate.per-second=100000",
                        "--batchgate.auth.trigger-rate.burst=100000",
                        "--spring.datasource.url=" + db,
                        "--spring.datasource.username=" + TestDatabases.MARIADB_USER,
                        "--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD,
                        "--spring.cloud.aws.sqs.listener.poll-timeout=1s",
                        "--batchgate.runner.adoption-interval=2s",
                        "--batchgate.queue.resend-after=5s")) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < BEFORE; i++) {
                accepted.add(api.trigger("sleeper", params(ledger, random)));
            }
            long waitingForRunning = System.nanoTime();
            int running = 0;
            while (System.nanoTime() - waitingForRunning
                    < Duration.ofSeconds(60).toNanos()) {
                running = api.json(api.get("/api/v1/runs?job=sleeper&status=RUNNING&limit=500"))
                        .get("runs")
                        .size();
                if (running >= 10) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(running).as("runs RUNNING before the restart").isGreaterThanOrEqualTo(10);

            long restartBegan = System.nanoTime();
            CompletableFuture<Integer> restarted = CompletableFuture.supplyAsync(() -> {
                try {
                    Process process = new ProcessBuilder("sh", restart, String.valueOf(DOWN_SECONDS))
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("restart.log").toFile())
                            .start();
                    return process.waitFor();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Map<Integer, Integer> answers = new TreeMap<>();
            List<String> refusals = new ArrayList<>();
            int noAnswer = 0;
            for (int i = 0; i < DURING; i++) {
                try {
                    HttpResponse<String> response = api.post(
                            "/api/v1/jobs/sleeper/runs",
                            "application/json",
                            "{\"params\":{\"LEDGER\":\"" + ledger + "\",\"DELAY\":\"" + delay(random) + "\"}}");
                    answers.merge(response.statusCode(), 1, Integer::sum);
                    if (response.statusCode() == 202) {
                        accepted.add(api.json(response).get("runId").asString());
                    } else {
                        refusals.add(response.statusCode() + " "
                                + response.headers().firstValue("Content-Type").orElse("") + " " + response.body());
                        assertThat(response.statusCode())
                                .as("a refusal during the outage must be a clear 503: " + response.body())
                                .isEqualTo(503);
                        assertThat(response.headers().firstValue("Content-Type"))
                                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                    }
                } catch (RuntimeException e) {
                    noAnswer++;
                    refusals.add("no answer: " + e);
                }
                Thread.sleep(500);
            }
            assertThat(restarted.get()).as("restart script exit code").isZero();
            long restartSeconds =
                    Duration.ofNanos(System.nanoTime() - restartBegan).toSeconds();

            long healthBegan = System.nanoTime();
            String health = "";
            while (System.nanoTime() - healthBegan < Duration.ofSeconds(60).toNanos()) {
                HttpResponse<String> response = api.get("/actuator/health");
                health = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(health).as("health after the restart").startsWith("200");
            long healthySeconds =
                    Duration.ofNanos(System.nanoTime() - healthBegan).toMillis();
            accepted.add(api.trigger("sleeper", params(ledger, random)));

            long drainBegan = System.nanoTime();
            Map<String, JsonNode> finals = new TreeMap<>();
            List<String> finalOrder = new ArrayList<>();
            while (finals.size() < accepted.size()
                    && System.nanoTime() - drainBegan < Duration.ofMinutes(2).toNanos()) {
                for (String id : List.copyOf(accepted)) {
                    if (!finals.containsKey(id)) {
                        JsonNode run = api.run(id);
                        if (FINAL.contains(run.get("status").asString())) {
                            finals.put(id, run);
                            finalOrder.add(id);
                        }
                    }
                }
                Thread.sleep(500);
            }
            long drainSeconds = Duration.ofNanos(System.nanoTime() - drainBegan).toSeconds();

            Map<String, Long> ledgerLines = FaultRuns.ledgerCounts(ledger);
            long duplicated = ledgerLines.values().stream().filter(n -> n > 1).count();
            List<String> problems = new ArrayList<>();
            for (String id : accepted) {
                JsonNode run = finals.get(id);
                if (run == null) {
                    problems.add(id + " not final: " + api.run(id));
                    continue;
                }
                int attempts = run.get("attempts").size();
                long lines = ledgerLines.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(id + " "))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
                if (!"SUCCEEDED".equals(run.get("status").asString()) || lines != attempts) {
                    problems.add(id + " ended " + run.get("status").asString() + " with " + attempts + " attempts and "
                            + lines + " ledger lines: " + run);
                }
            }
            ledgerLines.forEach((line, n) -> {
                if (n > 1) {
                    problems.add("attempt launched " + n + " times: " + line);
                }
            });
            JsonNode all = api.json(api.get("/api/v1/runs?limit=500")).get("runs");
            long unfinishedAnywhere = all.valueStream()
                    .filter(run -> !FINAL.contains(run.get("status").asString()))
                    .count();

            System.out.println("fault.dbrestart.running-at-restart: " + running);
            System.out.println("fault.dbrestart.down-seconds: " + DOWN_SECONDS);
            System.out.println("fault.dbrestart.restart-script-seconds: " + restartSeconds);
            System.out.println("fault.dbrestart.health-up-after-ms: " + healthySeconds);
            System.out.println("fault.dbrestart.answers-during: " + answers + " no-answer=" + noAnswer);
            System.out.println("fault.dbrestart.accepted: " + accepted.size());
            System.out.println("fault.dbrestart.final: " + finals.size());
            System.out.println("fault.dbrestart.runs-in-db: " + all.size() + " unfinished=" + unfinishedAnywhere);
            System.out.println("fault.dbrestart.attempts: "
                    + ledgerLines.values().stream().mapToLong(Long::longValue).sum());
            System.out.println("fault.dbrestart.lost: " + (accepted.size() - finals.size()));
            System.out.println("fault.dbrestart.duplicated: " + duplicated);
            System.out.println("fault.dbrestart.wall-seconds: "
                    + Duration.ofNanos(System.nanoTime() - began).toSeconds());
            System.out.println("fault.dbrestart.drain-seconds: " + drainSeconds);
            finalOrder
                    .subList(Math.max(0, finalOrder.size() - 3), finalOrder.size())
                    .forEach(id -> System.out.println("fault.dbrestart.last-to-finish: " + finals.get(id)));
            refusals.forEach(r -> System.out.println("fault.dbrestart.refusal: " + r));
            problems.forEach(p -> System.out.println("fault.dbrestart.problem: " + p));
            assertThat(problems).isEmpty();
            assertThat(duplicated).isZero();
            assertThat(unfinishedAnywhere).isZero();
        }
    }

    private static Map<String, String> params(Path ledger, Random random) {
        return Map.of("LEDGER", ledger.toString(), "DELAY", delay(random));
    }

    private static String delay(Random random) {
        return (1 + random.nextInt(2)) + "." + String.format("%03d", random.nextInt(1000));
    }
}
