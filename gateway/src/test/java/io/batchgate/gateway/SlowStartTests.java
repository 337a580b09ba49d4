package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up on a slow host: the queue or the database answers only some time after batchgate
 * starts. Start-up waits for them with backoff (logging each try) and then runs jobs as usual;
 * when they never answer it gives up after {@code batchgate.startup.wait-limit} with a message
 * that names what was missing and the limit.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowStartTests {

    @TempDir
    Path dir;

    private final ExecutorService starter = Executors.newSingleThreadExecutor();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        starter.shutdownNow();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        JobProcesses.killAll(dir.resolve("data"));
    }

    @Test
    void waitsForAQueueThatComesUpLateThenRunsAJob(CapturedOutput output) throws Exception {
        int sqsPort = freePort();
        Future<ConfigurableApplicationContext> starting =
                starter.submit(() -> start(queueArgs(sqsPort, "2m"), List.of()));
        await().atMost(Duration.ofMinutes(2)).until(() -> output.getOut()
                .contains("waiting for the queue 'batchgate-runs' at http://127.0.0.1:" + sqsPort
                        + " (attempt 2, next try in 2s, giving up at "));

        SQSRestServer sqs = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(sqsPort)
                .start();
        toClose.add(sqs::stopAndWait);
        ConfigurableApplicationContext app = starting.get(2, TimeUnit.MINUTES);
        toClose.add(app);
        assertRunsAJob(app);
    }

    @Test
    void givesUpOnAQueueThatNeverAnswersNamingItAndTheLimit(CapturedOutput output) throws Exception {
        int sqsPort = freePort();
        String message = "gave up waiting for the queue 'batchgate-runs' at http://127.0.0.1:" + sqsPort
                + " after 3s (batchgate.startup.wait-limit)";
        assertThatThrownBy(() -> start(queueArgs(sqsPort, "3s"), List.of())).hasStackTraceContaining(message);
        // Boot's short failure report names it too, with what to do
        String all = output.getAll();
        String report = all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).contains(message).contains("batchgate.startup.wait-limit (see \"Things to note\"");
    }

    @Test
    void waitsForAnH2ServerThatComesUpLate(CapturedOutput output) throws Exception {
        int port = freePort();
        String url =
                "jdbc:h2:tcp://127.0.0.1:" + port + "/" + dir.resolve("late").toAbsolutePath();
        Future<ConfigurableApplicationContext> starting =
                starter.submit(() -> start(List.of("--batchgate.startup.wait-limit=2m"), databaseArgs(url, "sa", "")));
        awaitLog(starting, output, "waiting for the database at " + url + " (attempt 2,");

        Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists")
                .start();
        toClose.add(h2::stop);
        ConfigurableApplicationContext app = starting.get(2, TimeUnit.MINUTES);
        toClose.add(app);
        assertRunsAJob(app);
    }

    @Test
    void waitsForAMariaDbThatComesUpLate(CapturedOutput output) throws Exception {
        String db = TestDatabases.newMariaDbDatabase();
        int serverPort = Integer.parseInt(db.replaceFirst("^jdbc:mysql://[^:]+:([0-9]+)/.*$", "$1"));
        TcpProxy network = new TcpProxy(serverPort);
        toClose.add(network);
        network.cut();
        String url = db.replaceFirst(":" + serverPort + "/", ":" + network.port() + "/");
        String shown = url.substring(0, url.indexOf('?'));
        Future<ConfigurableApplicationContext> starting = starter.submit(() -> start(
                List.of("--batchgate.startup.wait-limit=2m"),
                databaseArgs(url, TestDatabases.MARIADB_USER, TestDatabases.MARIADB_PASSWORD)));
        awaitLog(starting, output, "waiting for the database at " + shown + " (attempt 2,");

        network.resume();
        ConfigurableApplicationContext app = starting.get(2, TimeUnit.MINUTES);
        toClose.add(app);
        assertRunsAJob(app);
    }

    @Test
    void givesUpOnADatabaseThatNeverAnswersNamingItAndTheLimit() throws Exception {
        int port = freePort();
        String mysql = "jdbc:mysql://127.0.0.1:" + port + "/batchgate";
        assertThatThrownBy(() -> start(List.of("--batchgate.startup.wait-limit=3s"), databaseArgs(mysql, "u", "p")))
                .hasStackTraceContaining(
                        "gave up waiting for the database at " + mysql + " after 3s (batchgate.startup.wait-limit)");
        String h2 =
                "jdbc:h2:tcp://127.0.0.1:" + port + "/" + dir.resolve("never").toAbsolutePath();
        assertThatThrownBy(() -> start(List.of("--batchgate.startup.wait-limit=3s"), databaseArgs(h2, "sa", "")))
                .hasStackTraceContaining(
                        "gave up waiting for the database at " + h2 + " after 3s (batchgate.startup.wait-limit)");
    }

    /** Waits until start-up logs its second try; fails at once if start-up ended instead. */
    private static void awaitLog(Future<ConfigurableApplicationContext> starting, CapturedOutput output, String line) {
        await().atMost(Duration.ofMinutes(2))
                .until(() -> starting.isDone() || output.getOut().contains(line));
        assertThat(starting.isDone()).as("start-up ended instead of waiting").isFalse();
        assertThat(output.getOut()).contains(line);
    }

    private void assertRunsAJob(ConfigurableApplicationContext app) throws IOException {
        ApiClient api =
                new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
        Path counter = Files.createFile(dir.resolve("count-" + System.nanoTime()));
        String id = api.trigger("count", Map.of("COUNT_FILE", counter.toString()));
        assertThat(api.awaitFinal(id).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(Files.readAllLines(counter)).hasSize(1);
        assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    private static List<String> queueArgs(int sqsPort, String limit) {
        return List.of(
                "--batchgate.startup.wait-limit=" + limit,
                "--batchgate.queue.embedded=false",
                "--batchgate.queue.create-if-missing=true",
                "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + sqsPort,
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test");
    }

    private static List<String> databaseArgs(String url, String user, String password) {
        return List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password);
    }

    private ConfigurableApplicationContext start(List<String> args, List<String> more) throws IOException {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--batchgate.data-dir=" + dir.resolve("data"),
                "--batchgate.catalog.dir=" + GatewayTestSupport.catalogWithSampleAndTestJobs(dir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        all.addAll(args);
        all.addAll(more);
        return new SpringApplicationBuilder(BatchgateApplication.class).run(all.toArray(String[]::new));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
