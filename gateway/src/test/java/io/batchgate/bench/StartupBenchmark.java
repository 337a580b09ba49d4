package io.batchgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.BatchgateApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up: the embedded default (a fresh data directory, the bundled sample catalog) from process
 * start to {@code /actuator/health} answering UP, divided by a bare Spring Boot web application's
 * start to its first answer ({@link BareWebApp}). Both are separate JVMs with the same flags and
 * classpath, started alternately so that the machine's noise falls on both.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StartupBenchmark {

    private static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-Duser.timezone=UTC");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path dir;

    @Test
    void embeddedDefaultAgainstABareWebApp() throws Exception {
        boolean quick = BenchReport.quick();
        int rounds = quick ? 1 : 3;
        BenchReport report = new BenchReport("StartupBenchmark", quick);

        List<Double> bare = new ArrayList<>();
        List<Double> batchgate = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            bare.add(millisToHealthy(
                    BareWebApp.class.getName(), List.of("--spring.config.name=bare-web-app"), "/health", "UP"));
            Path data = Files.createDirectories(dir.resolve("round-" + round));
            batchgate.add(millisToHealthy(
                    BatchgateApplication.class.getName(),
                    List.of("--batchgate.data-dir=" + data),
                    "/actuator/health",
                    "\"UP\""));
        }
        double bareMs = median(bare);
        double batchgateMs = median(batchgate);
        report.add("startup_rounds", rounds, "rounds");
        report.add("startup_bare_web_app_ms", bareMs, "ms");
        report.add("startup_batchgate_ms", batchgateMs, "ms");
        report.add("startup_ratio", batchgateMs / bareMs, "ratio");
        report.note("start to healthy, each round (bare, batchgate) in ms: " + bare + " " + batchgate);
        report.write();
    }

    /** Starts {@code mainClass} in its own JVM and polls {@code path} until it answers 200 with {@code expected}. */
    private double millisToHealthy(String mainClass, List<String> args, String path, String expected) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        command.addAll(List.of("--server.port=" + port, "--logging.level.root=warn"));
        Path log = dir.resolve(mainClass + "-" + System.nanoTime() + ".log");
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build();

        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = start + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (answers(probe, expected)) {
                    return (System.nanoTime() - start) / 1e6;
                }
                assertThat(process.isAlive())
                        .as("%s exited early:%n%s", mainClass, Files.readString(log))
                        .isTrue();
                Thread.sleep(10);
            }
            throw new AssertionError(
                    mainClass + " not healthy within " + START_TIMEOUT + ":\n" + Files.readString(log));
        } finally {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private boolean answers(HttpRequest probe, String expected) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains(expected);
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double median(List<Double> values) {
        return BenchReport.percentile(
                values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }
}
