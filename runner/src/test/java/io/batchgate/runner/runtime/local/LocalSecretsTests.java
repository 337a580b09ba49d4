package io.batchgate.runner.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.Catalog;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestCatalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's {@code secrets:} on the local runtime: from a mode-600 file, into the child's environment only. */
class LocalSecretsTests {

    private static final String PROD = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/prod";

    @TempDir
    Path dataDir;

    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private Catalog catalog;
    private Path secretsFile;
    private Path seen;

    @BeforeEach
    void setUp() throws IOException {
        seen = dataDir.resolve("seen.txt");
        catalog = TestCatalogs.load(dataDir.resolve("catalog"), """
                jobs:
                  billing:
                    local:
                      command: [sh, -c, 'echo "$DB_PASSWORD" > "$SEEN"']
                      env: { SEEN: "%s" }
                    params:
                      TARGET: { type: enum, values: [prod, test], required: true }
                    secrets:
                      DB_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/${TARGET}
                """.formatted(seen));
        secretsFile = dataDir.resolve("secrets.yaml");
        Files.writeString(secretsFile, PROD + ": \"s3cr3t value\"\n");
    }

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
        JobProcesses.killAll(dataDir);
    }

    private LocalProcessRuntime runtime() {
        return new LocalProcessRuntime(
                new AttemptDirectories(dataDir.resolve("data")),
                new LocalRuntimeProperties(List.of("PATH"), 2, secretsFile),
                (attempt, exit) -> {},
                callbacks);
    }

    private StartResult launch(LocalProcessRuntime runtime, String target) {
        AttemptRef attempt = new AttemptRef(RunId.next(System.currentTimeMillis(), new Random()), 1);
        return runtime.start(new TaskLaunch(
                attempt,
                catalog.job("billing").orElseThrow(),
                RunLauncher.environment(attempt.runId(), "billing", 1, Map.of("TARGET", target))));
    }

    @Test
    void theDryRunListsTheSecretsReferencesAndNoValue() throws IOException {
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));
        AttemptRef attempt = new AttemptRef(RunId.next(System.currentTimeMillis(), new Random()), 1);

        LaunchPreview preview = runtime()
                .preview(new TaskLaunch(
                        attempt,
                        catalog.job("billing").orElseThrow(),
                        RunLauncher.environment(attempt.runId(), "billing", 1, Map.of("TARGET", "prod"))));

        assertThat(preview.request()).containsEntry("secrets", Map.of("DB_PASSWORD", PROD));
        assertThat(preview.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theChildSeesTheSecretFromTheFile() throws IOException {
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));

        assertThat(launch(runtime(), "prod")).isInstanceOf(StartResult.Started.class);

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(seen) && Files.size(seen) > 0);
        assertThat(Files.readString(seen)).isEqualTo("s3cr3t value\n");
    }

    @Test
    void aSecretsFileOthersCanReadIsRefusedAtLaunchAndAtStartUp() throws IOException {
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-r--r--"));
        LocalProcessRuntime runtime = runtime();

        StartResult result = launch(runtime, "prod");

        assertThat(result).isInstanceOf(StartResult.Refused.class);
        StartResult.Refused refused = (StartResult.Refused) result;
        assertThat(refused.reason())
                .contains("has mode rw-r--r--")
                .contains("chmod 600")
                .doesNotContain("s3cr3t");
        assertThat(refused.retryable()).isFalse();
        assertThat(seen).doesNotExist();
        assertThat(runtime.secretsFileProblem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("readable by its owner only"));
    }

    @Test
    void aSecretInNeitherFileNorEnvironmentRefusesTheLaunchNamingTheArn() throws IOException {
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));

        StartResult result = launch(runtime(), "test");

        assertThat(((StartResult.Refused) result).reason())
                .contains("no value for secret DB_PASSWORD")
                .contains("secret:billing/test");
    }

    @Test
    void withoutAFileTheValueComesFromTheProcessEnvironment() {
        LocalSecrets secrets = new LocalSecrets(null, name -> name.equals("DB_PASSWORD") ? "from-env" : null);

        assertThat(secrets.resolve(Map.of("DB_PASSWORD", PROD)))
                .isEqualTo(new LocalSecrets.Resolved.Values(Map.of("DB_PASSWORD", "from-env")));
    }
}
