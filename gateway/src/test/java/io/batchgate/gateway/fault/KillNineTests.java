package io.batchgate.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.ApiClient;
import io.batchgate.gateway.BatchgateApplication;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The runner as a separate JVM, killed with SIGKILL at random moments while 200 runs with retries
 * go through it: every run still ends in the state its job and parameters dictate, and no
 * attempt is ever started twice (each job appends {@code <run> <attempt>} to a ledger file when
 * it starts). The jobs run in their own sessions and survive the kills; the restarted runner
 * takes them back.
 */
@Tag("fault")
class KillNineTests {

    static final int RUNS = 200;
    static final int MIN_KILLS = 10;
    static final long SEED = 20240611L;
    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

    static final String CATALOG = """
            jobs:
              sleeper:
                description: Notes its attempt in LEDGER, sleeps DELAY seconds, exits with CODE.
                local:
                  command: ["sh", "-c", "echo \\"$BATCHGATE_RUN_ID $BATCHGATE_ATTEMPT\\" >> \\"$LEDGER\\"; sleep \\"$DELAY\\"; exit \\"$CODE\\""]
                params:
                  LEDGER: { type: string, required: true, maxLength: 1024 }
                  DELAY: { type: string, pattern: '[0-9]+([.][0-9]+)?', default: "0" }
                  CODE: { type: int, min: 0, max: 255, default: "0" }
                retry:
                  maxAttempts: 3
                  backoff: { initial: 200ms, max: 500ms }
                  rules:
                    - exitCodes: [75]
                      action: RETRY
              flaky:
                description: Notes its attempt in LEDGER, sleeps DELAY seconds, fails with 75 until attempt 3.
                local:
                  command: ["sh", "-c", "echo \\"$BATCHGATE_RUN_ID $BATCHGATE_ATTEMPT\\" >> \\"$LEDGER\\"; sleep \\"$DELAY\\"; [ $BATCHGATE_ATTEMPT -ge 3 ] && exit 0; exit 75"]
                params:
                  LEDGER: { type: string, required: true, maxLength: 1024 }
                  DELAY: { type: string, pattern: '[0-9]+([.][0-9]+)?', default: "0" }
                retry:
                  maxAttempts: 3
                  backoff: { initial: 200ms, max: 500ms }
                  rules:
                    - exitCodes: [75]
                      action: RETRY
            """;

    @TempDir
    Path dir;

    private SQSRestServer sqs;
    private Process runner;

    record Expected(String job, String status, int exitCode, int attempts) {}

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.destroyForcibly();
        }
        if (sqs != null) {
            sqs.stopAndWait();
        }
        JobProcesses.killAll(dir.resolve("data"));
    }

    @Test
    void runsSurviveRepeatedSigkillsOfTheRunnerWithoutLossOrDuplicateAttempts() throws Exception {
        long began = System.nanoTime();
        String db = TestDatabases.newMariaDbDatabase();
        int sqsPort = AppJvm.freePort();
        sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort).start();
        sqs.waitUntilStarted();
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("fault.yaml"), CATALOG);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Path ledger = Files.createFile(dir.resolve("ledger.txt"));

        List<String> common = List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog,
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000",
                "--spring.datasource.url=" + db,
                "--spring.datasource.username=" + TestDatabases.MARIADB_USER,
                "--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD,
                "--batchgate.queue.embedded=false",
                "--batchgate.queue.create-if-missing=true",
                "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + sqsPort,
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s",
                "--batchgate.queue.visibility-seconds=5",
                "--batchgate.queue.resend-after=5s");
        List<String> gatewayArgs = new ArrayList<>(common);
        gatewayArgs.add("--batchgate.runner.enabled=false");
        List<String> runnerArgs = new ArrayList<>(common);
        runnerArgs.addAll(List.of(
                "--batchgate.runner.adoption-interval=500ms",
                "--batchgate.runner.launch-lease=3s",
                "--batchgate.runner.deadline-interval=200ms"));

        try (ConfigurableApplicationContext gateway =
                new SpringApplicationBuilder(BatchgateApplication.class).run(gatewayArgs.toArray(String[]::new))) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) gateway).getWebServer().getPort());
            Random random = new Random(SEED);
            Map<String, Expected> expected = new ConcurrentHashMap<>();
            AtomicReference<Throwable> triggerFailure = new AtomicReference<>();
            List<Map.Entry<String, Map<String, String>>> plan = new ArrayList<>();
            List<Expected> planExpected = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                double kind = random.nextDouble();
                String delay = (random.nextInt(3001) / 1000) + "." + String.format("%03d", random.nextInt(1000));
                Map<String, String> params = new LinkedHashMap<>();
                params.put("LEDGER", ledger.toString());
                params.put("DELAY", delay);
                if (kind < 0.2) {
                    params.put("CODE", "75");
                    plan.add(Map.entry("sleeper", params));
                    planExpected.add(new Expected("sleeper", "FAILED", 75, 3));
                } else if (kind < 0.4) {
                    plan.add(Map.entry("flaky", params));
                    planExpected.add(new Expected("flaky", "SUCCEEDED", 0, 3));
                } else if (kind < 0.5) {
                    params.put("CODE", "1");
                    plan.add(Map.entry("sleeper", params));
                    planExpected.add(new Expected("sleeper", "FAILED", 1, 1));
                } else {
                    params.put("CODE", "0");
                    plan.add(Map.entry("sleeper", params));
                    planExpected.add(new Expected("sleeper", "SUCCEEDED", 0, 1));
                }
            }
            Thread triggers = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < RUNS; i++) {
                                String id = api.trigger(
                                        plan.get(i).getKey(), plan.get(i).getValue());
                                expected.put(id, planExpected.get(i));
                                Thread.sleep(350);
                            }
                        } catch (Throwable e) {
                            triggerFailure.set(e);
                        }
                    },
                    "fault-triggers");
            triggers.start();

            int kills = 0;
            int starts = 0;
            while (kills < MIN_KILLS || triggers.isAlive()) {
                Path log = dir.resolve("runner-" + (++starts) + ".log");
                runner = AppJvm.start(List.of("-Xmx384m"), runnerArgs, log);
                AppJvm.awaitStarted(runner, log, Duration.ofSeconds(60));
                Thread.sleep(1000 + random.nextInt(3001));
                runner.destroyForcibly().waitFor();
                kills++;
                System.out.println("fault.kill9: kill " + kills + " of runner start " + starts + " after "
                        + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s");
            }
            triggers.join();
            assertThat(triggerFailure.get()).as("triggering").isNull();
            assertThat(expected).hasSize(RUNS);

            Path log = dir.resolve("runner-" + (++starts) + ".log");
            runner = AppJvm.start(List.of("-Xmx384m"), runnerArgs, log);
            long drainBegan = System.nanoTime();
            Map<String, JsonNode> finals = FaultRuns.awaitFinal(api, expected.keySet(), Duration.ofMinutes(3));

            Map<String, Long> ledgerLines = FaultRuns.ledgerCounts(ledger);
            long duplicated = ledgerLines.values().stream().filter(n -> n > 1).count();
            long lost = RUNS - finals.size();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Expected> entry : expected.entrySet()) {
                String id = entry.getKey();
                Expected want = entry.getValue();
                JsonNode run = finals.get(id);
                if (run == null) {
                    problems.add(id + " (" + want + ") not final: " + api.run(id));
                    continue;
                }
                String status = run.get("status").asString();
                int attempts = run.get("attempts").size();
                JsonNode exitCode = run.get("exitCode");
                long lines = ledgerLines.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(id + " "))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
                if (!status.equals(want.status())
                        || exitCode == null
                        || exitCode.isNull()
                        || exitCode.asInt() != want.exitCode()
                        || attempts != want.attempts()
                        || attempts > 3
                        || lines != attempts) {
                    problems.add(id + " expected " + want + " but was " + status + " exitCode " + exitCode
                            + " attempts " + attempts + " ledger lines " + lines + ": " + run);
                }
            }
            ledgerLines.forEach((line, n) -> {
                if (n > 1) {
                    problems.add("attempt launched " + n + " times: " + line);
                }
            });

            long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
            System.out.println("fault.kill9.runs: " + RUNS);
            System.out.println("fault.kill9.final: " + finals.size());
            System.out.println("fault.kill9.kills: " + kills);
            System.out.println("fault.kill9.attempts: "
                    + ledgerLines.values().stream().mapToLong(Long::longValue).sum());
            System.out.println("fault.kill9.lost: " + lost);
            System.out.println("fault.kill9.duplicated: " + duplicated);
            System.out.println("fault.kill9.wrong: " + problems.size());
            System.out.println("fault.kill9.wall-seconds: " + seconds);
            problems.forEach(p -> System.out.println("fault.kill9.problem: " + p));
            assertThat(problems).isEmpty();
            assertThat(lost).isZero();
            assertThat(duplicated).isZero();
            assertThat(kills).isGreaterThanOrEqualTo(MIN_KILLS);
        }
    }
}
