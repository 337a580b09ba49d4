package io.batchgate.gateway;

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
              ecs-only:
                description: Has no local target.
                ecs: { cluster: batch, taskDefinition: "nightly:1", container: app }
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
            Files.writeString(directory.resolve("zz-test-jobs.yaml"), TEST_JOBS);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
}
