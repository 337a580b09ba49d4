package io.batchgate.gateway;

import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Test catalogs and a plain JDK HTTP client speaking to the application over its real port. */
public final class GatewayTestSupport {

    public static final String TOKEN = "test-token-0123456789";

    /** Jobs tests need beside the sample catalog. {@code $COUNT_FILE} counts started processes. */
    public static final String TEST_JOBS = """
            jobs:
              count:
                description: Appends one line per started process to COUNT_FILE, then sleeps.
                local:
                  command: ["sh", "-c", "echo started >> \\"$COUNT_FILE\\"; sleep \\"$SECONDS\\"; echo done"]
                params:
                  COUNT_FILE: { type: string, required: true, maxLength: 1024 }
                  SECONDS: { type: int, min: 0, max: 60, default: 0 }
              typed:
                description: Takes one parameter of every type.
                local:
                  command: ["sh", "-c", "echo $NUMBER $FLAG $DAY $MODE $NAME"]
                params:
                  NUMBER: { type: int, min: 1, max: 10, required: true }
                  FLAG: { type: bool, default: "false" }
                  DAY: { type: date }
                  MODE: { type: enum, values: [full, incremental], default: full }
                  NAME: { type: string, pattern: "[a-z]+", maxLength: 8 }
                  PASSWORD: { type: string, secret: true }
              chatty:
                description: Prints 50,000 numbered lines over about 2 s and exits at once.
                local:
                  command: ["awk", "BEGIN { for (i = 1; i <= 50000; i++) { printf \\"line %d\\\\n\\", i; if (i % 5000 == 0) { fflush(); system(\\"sleep 0.2\\") } } }"]
              secret-echo:
                description: Echoes its secret; attempt 1 waits for GO_FILE and exits 75 (retried), attempt 2 prints the secret spelled out.
                local:
                  command: ["sh", "-c", "echo \\"the password is $PASSWORD\\"; if [ \\"$BATCHGATE_ATTEMPT\\" = 1 ]; then while [ ! -f \\"$GO_FILE\\" ]; do sleep 0.05; done; exit 75; fi; echo \\"attempt 2 got $(printf %s \\"$PASSWORD\\" | sed 's/./&./g')\\""]
                params:
                  PASSWORD: { type: string, secret: true, required: true }
                  GO_FILE: { type: string, required: true, maxLength: 1024 }
                retry:
                  maxAttempts: 2
                  backoff: { initial: 1s }
                  rules: [ { exitCodes: [75], action: RETRY } ]
              talker:
                description: Prints a line, keeps running for a while, prints another.
                local:
                  command: ["sh", "-c", "echo first; sleep $SECONDS; echo second"]
                params: { SECONDS: { type: int, min: 0, max: 60, default: "2" } }
              ecs-only:
                description: Has no local target.
                ecs: { cluster: batch, taskDefinition: "nightly:1", container: app }
              flaky:
                description: Fails with 75 (EX_TEMPFAIL) until attempt SUCCEED_ON.
                local:
                  command: ["sh", "-c", "echo attempt $BATCHGATE_ATTEMPT; [ $BATCHGATE_ATTEMPT -ge $SUCCEED_ON ] && exit 0; exit 75"]
                params:
                  SUCCEED_ON: { type: int, min: 1, max: 10, default: "3" }
                retry:
                  maxAttempts: 3
                  backoff: { initial: 100ms, max: 200ms }
                  rules:
                    - exitCodes: [75]
                      action: RETRY
              polite:
                description: Sleeps, and ends on SIGTERM like most programs.
                local:
                  command: ["sh", "-c", "echo started; sleep 30"]
                timeouts: { run: 1s, stopGrace: 5s }
                retry:
                  maxAttempts: 2
                  backoff: { initial: 100ms, max: 100ms }
                  rules:
                    - timedOut: true
                      action: RETRY
              stubborn:
                description: Ignores SIGTERM, so only the kill after the stop grace ends it.
                local:
                  command: ["sh", "-c", "trap '' TERM; echo started; while true; do sleep 0.1; done"]
                timeouts: { run: 1s, stopGrace: 500ms }
              exclusive:
                description: Never two at once; a trigger while one runs is skipped.
                local: { command: ["sh", "-c", "sleep $SECONDS"] }
                params: { SECONDS: { type: int, min: 0, max: 60, default: "0" } }
                concurrency: { overlap: forbid }
              one-at-a-time:
                description: Triggers wait their turn, at most two waiting.
                local: { command: ["sh", "-c", "echo started >> \\"$COUNT_FILE\\"; sleep $SECONDS; echo done >> \\"$COUNT_FILE\\""] }
                params:
                  SECONDS: { type: int, min: 0, max: 60, default: "0" }
                  COUNT_FILE: { type: string, maxLength: 1024, default: "/dev/null" }
                concurrency: { overlap: queue, maxQueued: 2 }
              nap:
                description: Sleeps MILLIS milliseconds; any number at once.
                local:
                  command:
                    - sh
                    - -c
                    - 'echo napping; sleep $(awk "BEGIN { print $MILLIS / 1000 }"); echo awake'
                params: { MILLIS: { type: int, min: 0, max: 600000, default: "0" } }
              noisy-late:
                description: Prints a line, sleeps 6 s, then exits with 42.
                local: { command: [sh, -c, 'echo "noisy-late: started"; sleep 6; echo "noisy-late: giving up"; exit 42'] }
              gate:
                description: Runs until the file GO exists.
                local:
                  command: [sh, -c, 'while [ ! -e "$GO" ]; do sleep 0.1; done; echo through']
                params: { GO: { type: string, required: true, maxLength: 1024 } }
              echo-text:
                description: Prints TEXT exactly.
                local:
                  command: [sh, -c, 'printf "%s\\n" "$TEXT"']
                params: { TEXT: { type: string, maxLength: 4096 } }
              noisy:
                description: Prints 30 numbered lines and an error, then exits with CODE.
                local:
                  command:
                    - sh
                    - -c
                    - 'i=1; while [ $i -le 30 ]; do echo "noisy: line $i"; i=$((i+1)); done; echo "noisy: ERROR disk full" >&2; exit $CODE'
                params: { CODE: { type: int, min: 0, max: 255, default: "0" } }
              latest:
                description: A new trigger replaces the running one.
                local: { command: ["sh", "-c", "sleep $SECONDS"] }
                params: { SECONDS: { type: int, min: 0, max: 60, default: "0" } }
                concurrency: { overlap: replace }
            """;

    /** Job nets tests run, of millisecond shell jobs (exit-with from the sample, gate above). */
    public static final String TEST_NETS = """
            jobs:
              file-check:
                description: Exits 0 once the file PASS exists, 4 before.
                local: { command: [sh, -c, 'test -e "$PASS" && exit 0; exit 4'] }
                params: { PASS: { type: string, required: true, maxLength: 1024 } }
            nets:
              test-five:
                description: Success, warning and failure branches, a recovery member and a join.
                params:
                  FIRST: { type: int, min: 0, max: 255, default: 0 }
                  LOAD: { type: int, min: 0, max: 255, default: 0 }
                  RECOVER: { type: int, min: 0, max: 255, default: 0 }
                members:
                  extract: { job: exit-with, params: { CODE: "${FIRST}" } }
                  review: { job: exit-with, afterWarning: [extract] }
                  load: { job: exit-with, params: { CODE: "${LOAD}" }, after: [extract] }
                  recover: { job: exit-with, params: { CODE: "${RECOVER}" }, afterFailure: [load] }
                  report: { job: exit-with, after: [load, review] }
              test-join:
                params: { DIR: { type: string, required: true, maxLength: 900 } }
                members:
                  left: { job: gate, params: { GO: "${DIR}/left" } }
                  right: { job: gate, params: { GO: "${DIR}/right" } }
                  joined: { job: exit-with, after: [left, right] }
              test-rerun:
                params: { DIR: { type: string, required: true, maxLength: 900 } }
                members:
                  first: { job: exit-with }
                  check: { job: file-check, params: { PASS: "${DIR}/pass" }, after: [first] }
                  last: { job: exit-with, after: [check] }
              test-outer:
                params: { DIR: { type: string, required: true, maxLength: 900 } }
                members:
                  before: { job: exit-with }
                  inner: { net: test-rerun, params: { DIR: "${DIR}" }, after: [before] }
                  cleanup: { job: exit-with, afterFailure: [inner] }
            """;

    private GatewayTestSupport() {}

    /** A catalog directory holding the shipped sample catalog plus {@link #TEST_JOBS}. */
    public static Path catalogWithSampleAndTestJobs(Path directory) {
        try {
            Files.createDirectories(directory);
            Path sample = sampleCatalog();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(sample, "*.yaml")) {
                for (Path file : files) {
                    Files.copy(file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // the sample's schedules name its calendars
            Path calendars = Files.createDirectories(directory.resolve("calendars"));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(sample.resolve("calendars"), "*.yaml")) {
                for (Path file : files) {
                    Files.copy(file, calendars.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(directory.resolve("zz-test-jobs.yaml"), TEST_JOBS);
            Files.writeString(directory.resolve("zz-test-nets.yaml"), TEST_NETS);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts a {@code @DynamicPropertySource} context on the selected test database (H2 or MariaDB,
     * {@link TestDatabases#DATABASE_PROPERTY}); see {@link TestDatabases#selectedDatabaseArguments}.
     */
    public static void selectedDatabase(DynamicPropertyRegistry registry, Path dataDir) {
        for (String argument : TestDatabases.selectedDatabaseArguments(dataDir)) {
            String[] pair = argument.substring("--".length()).split("=", 2);
            registry.add(pair[0], () -> pair[1]);
        }
    }

    /** The sample catalog as it is in the repository. */
    public static Path sampleCatalog() {
        Path fromModule = Path.of("../job-catalog/sample");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("job-catalog/sample");
    }

    public static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpRequest.Builder request(int port, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
    }

    /**
     * Whether a logger reports on request handling (the gateway, Spring MVC, Tomcat) rather than on
     * the shared context's background work (the queue listener, runners), for tests that assert
     * what a request leads to in the log.
     */
    public static boolean onTheRequestPath(String logger) {
        return logger.startsWith("io.batchgate.gateway")
                || logger.startsWith("org.springframework.web")
                || logger.startsWith("org.apache.catalina")
                || logger.startsWith("org.apache.coyote")
                || logger.startsWith("org.apache.tomcat");
    }
}
