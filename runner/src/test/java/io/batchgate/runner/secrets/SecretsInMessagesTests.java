package io.batchgate.runner.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.testing.TestCatalogs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The objects that carry secret values in memory never print them: a log line or an exception
 * message that shows the request or the launch (string concatenation, {@code {}} in a log call)
 * shows the mask.
 */
class SecretsInMessagesTests {

    @Test
    void aRequestPrintsItsParamNamesNotTheirValues() {
        AdmissionRequest request = AdmissionRequest.of(
                "job",
                Map.of("PASSWORD", "hunter2hunter2"),
                new AdmissionRequest.Requester("ci", RunSource.api(), "127.0.0.1", "test"));
        assertThat(request.toString()).contains("PASSWORD").doesNotContain("hunter2hunter2");
        assertThat(new IllegalStateException("cannot admit " + request).getMessage())
                .doesNotContain("hunter2hunter2");
    }

    @Test
    void aLaunchPrintsItsSecretValuesMasked(@TempDir Path dir) {
        JobDefinition job = TestCatalogs.load(dir, """
                        jobs:
                          secretive:
                            local: { command: ["true"] }
                            params:
                              PASSWORD: { type: string, secret: true }
                              GREETING: { type: string }
                        """).job("secretive").orElseThrow();
        TaskLaunch launch = new TaskLaunch(
                new AttemptRef(new RunId("019ab0c4-0000-7000-8000-000000000001"), 1),
                job,
                Map.of("PASSWORD", "hunter2hunter2", "GREETING", "hello"));
        assertThat(launch.toString())
                .contains("PASSWORD=******")
                .contains("GREETING=hello")
                .doesNotContain("hunter2hunter2");
    }
}
