package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The first burst of triggers of a job nobody triggered before: 30 at once, with the job's lock
 * row not yet created. The overlap limits must hold and every answer must be the policy's, never
 * a 5xx from a lock conflict — on H2 and on MariaDB at its default REPEATABLE READ, where a count
 * after a lock wait reads the snapshot from before it and where locking a missing row deadlocks.
 * The jobs run until the test opens their gate, so every trigger arrives while the first run is
 * still active.
 */
class FirstTriggerBurstTests {

    static final int BURST = 30;
    static final int MAX_QUEUED = 5;

    static final String CATALOG = """
            jobs:
              lone:
                description: Runs until GO exists; a trigger meanwhile is skipped.
                local: { command: [sh, -c, 'while [ ! -e "$GO" ]; do sleep 0.1; done'] }
                params: { GO: { type: string, required: true, maxLength: 1024 } }
                concurrency: { overlap: forbid }
              line:
                description: Runs until GO exists; triggers wait their turn, at most 5 waiting.
                local: { command: [sh, -c, 'while [ ! -e "$GO" ]; do sleep 0.1; done'] }
                params: { GO: { type: string, required: true, maxLength: 1024 } }
                concurrency: { overlap: queue, maxQueued: %d }
            """.formatted(MAX_QUEUED);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void aFirstBurstGetsExactlyWhatThePolicyAllowsAndNo5xx(String database) throws Exception {
        String url = database.equals("h2") ? TestDatabases.newH2Database() : TestDatabases.newMariaDbDatabase();
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("burst.yaml"), CATALOG);
        Path go = dir.resolve("go");
        List<String> accepted = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        try (ConfigurableApplicationContext context = start(url, catalog)) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            // The application creates the catalog's lock rows at start-up; a trigger that comes
            // before that (or for a job whose row is gone) creates its row itself. That is the path
            // where concurrent creators deadlock, so the burst starts without the rows.
            context.getBean(JdbcClient.class)
                    .sql("DELETE FROM bg_job_lock WHERE job IN ('lone', 'line')")
                    .update();
            try {
                Map<Integer, Integer> forbid = burst(api, "lone", go, accepted, softly);
                Map<Integer, Integer> queue = burst(api, "line", go, accepted, softly);
                System.out.println("first-burst." + database + ".forbid: " + forbid);
                System.out.println("first-burst." + database + ".queue: " + queue);
                System.out.println("first-burst." + database + ".lock-conflict-retries: "
                        + context.getBean(MeterRegistry.class)
                                .counter("batchgate.db.retries")
                                .count());

                softly.assertThat(forbid).as("forbid, by status code").isEqualTo(Map.of(202, 1, 409, BURST - 1));
                softly.assertThat(queue.keySet()).as("queue, status codes").containsOnly(202, 429);
                softly.assertThat(queue.getOrDefault(202, 0))
                        .as("queue accepted: %d waiting and at most one launched meanwhile", MAX_QUEUED)
                        .isBetween(MAX_QUEUED, MAX_QUEUED + 1);
            } finally {
                Files.createFile(go);
                accepted.forEach(api::awaitFinal); // no job process outlives the test
            }
        }
        softly.assertAll();
    }

    /**
     * Sends {@link #BURST} triggers of the job at once (released together by a latch); checks that
     * every refusal is the policy's problem+json; returns the count of each status code.
     */
    private static Map<Integer, Integer> burst(
            ApiClient api, String job, Path go, List<String> accepted, SoftAssertions softly) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(BURST);
        try {
            CountDownLatch ready = new CountDownLatch(BURST);
            CountDownLatch fire = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                calls.add(threads.submit(() -> {
                    ready.countDown();
                    fire.await();
                    return api.post(
                            "/api/v1/jobs/" + job + "/runs",
                            "application/json",
                            "{\"params\":{\"GO\":\"" + go + "\"}}");
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            fire.countDown();
            Map<Integer, Integer> codes = new TreeMap<>();
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(2, TimeUnit.MINUTES);
                codes.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 202) {
                    accepted.add(api.json(response).get("runId").asString());
                } else if (response.statusCode() == 409 || response.statusCode() == 429) {
                    softly.assertThat(response.headers().firstValue("Content-Type"))
                            .as(response.body())
                            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                    softly.assertThat(api.json(response).get("type").asString())
                            .as(response.body())
                            .isEqualTo(
                                    response.statusCode() == 409
                                            ? "/problems/overlap-forbidden"
                                            : "/problems/queue-full");
                } else {
                    softly.fail("%s answered %d: %s", job, response.statusCode(), response.body());
                }
            }
            return codes;
        } finally {
            threads.shutdownNow();
        }
    }

    private ConfigurableApplicationContext start(String url, Path catalog) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--batchgate.data-dir=" + dir.resolve("data"),
                "--batchgate.catalog.dir=" + catalog,
                "--spring.datasource.url=" + url,
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        if (url.startsWith("jdbc:mysql:")) {
            args.add("--spring.datasource.username=" + TestDatabases.MARIADB_USER);
            args.add("--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD);
        }
        return new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
    }
}
