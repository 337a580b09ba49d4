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
import java.util.spi.ToolProvider;
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
        if (!quick) {
            withAppCds(report, rounds);
        }
        report.write();
    }

    /**
     * The same comparison with a dynamic AppCDS archive for each application (JDK 13+), the
     * deployment option Spring Boot documents for faster starts: one training run each that exits
     * once the context is refreshed ({@code -Dspring.context.exit=onRefresh}) and writes the
     * archive, then timed starts that map it. Only classes from jars are archived (not the modules'
     * {@code target/classes}). Reported beside the main figure, not instead of it.
     */
    private void withAppCds(BenchReport report, int rounds) throws Exception {
        String classPath = classPathOfJars();
        Path bareArchive = dir.resolve("bare-web-app.jsa");
        Path batchgateArchive = dir.resolve("batchgate.jsa");
        train(classPath, BareWebApp.class.getName(), List.of("--spring.config.name=bare-web-app"), bareArchive);
        train(
                classPath,
                BatchgateApplication.class.getName(),
                List.of("--batchgate.data-dir=" + Files.createDirectories(dir.resolve("training"))),
                batchgateArchive);
        List<Double> bare = new ArrayList<>();
        List<Double> batchgate = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            bare.add(millisToHealthy(
                    BareWebApp.class.getName(),
                    List.of("-XX:SharedArchiveFile=" + bareArchive, "-cp", classPath),
                    List.of("--spring.config.name=bare-web-app"),
                    "/health",
                    "UP"));
            Path data = Files.createDirectories(dir.resolve("appcds-round-" + round));
            batchgate.add(millisToHealthy(
                    BatchgateApplication.class.getName(),
                    List.of("-XX:SharedArchiveFile=" + batchgateArchive, "-cp", classPath),
                    List.of("--batchgate.data-dir=" + data),
                    "/actuator/health",
                    "\"UP\""));
        }
        report.add("startup_appcds_bare_web_app_ms", median(bare), "ms");
        report.add("startup_appcds_batchgate_ms", median(batchgate), "ms");
        report.add("startup_ratio_appcds", median(batchgate) / median(bare), "ratio");
        report.note("with AppCDS, each round (bare, batchgate) in ms: " + bare + " " + batchgate);
    }

    /** One start that writes a dynamic CDS archive of the classes it loaded and exits once refreshed. */
    private void train(String classPath, String mainClass, List<String> args, Path archive) throws Exception {
        List<String> command = javaCommand(
                mainClass,
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-cp", classPath),
                args,
                freePort());
        Path log = dir.resolve(mainClass + "-training.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(mainClass + " training run did not exit:\n" + Files.readString(log));
        }
        assertThat(archive)
                .as("CDS archive of %s:%n%s", mainClass, Files.readString(log))
                .isNotEmptyFile();
    }

    /**
     * The benchmark's classpath with every directory (the modules' {@code target/classes}) packed
     * into a jar: CDS refuses a class path with non-empty directories in it.
     */
    private String classPathOfJars() throws IOException {
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path packed = dir.resolve("classpath-" + entries.size() + ".jar");
                int exit = jar.run(System.out, System.err, "--create", "--file", packed.toString(), "-C", entry, ".");
                assertThat(exit).as("jar of %s", entry).isZero();
                entries.add(packed.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** {@code jvmFlags} include the class path ({@code -cp …}). */
    private static List<String> javaCommand(String mainClass, List<String> jvmFlags, List<String> args, int port) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(jvmFlags);
        command.add(mainClass);
        command.addAll(args);
        command.addAll(List.of("--server.port=" + port, "--logging.level.root=warn"));
        return command;
    }

    /** Starts {@code mainClass} in its own JVM and polls {@code path} until it answers 200 with {@code expected}. */
    private double millisToHealthy(String mainClass, List<String> args, String path, String expected) throws Exception {
        return millisToHealthy(mainClass, List.of("-cp", System.getProperty("java.class.path")), args, path, expected);
    }

    private double millisToHealthy(
            String mainClass, List<String> jvmFlags, List<String> args, String path, String expected) throws Exception {
        int port = freePort();
        List<String> command = javaCommand(mainClass, jvmFlags, args, port);
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
