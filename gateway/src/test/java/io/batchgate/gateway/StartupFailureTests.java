package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A start-up refused for a configuration mistake says what is wrong in a few lines, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

    @TempDir
    Path dataDir;

    @Test
    void aTokenUnderTwelveCharactersIsOneClearLine(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(BatchgateApplication.class)
                        .run(
                                "--server.port=0",
                                "--batchgate.data-dir=" + dataDir,
                                "--batchgate.auth.tokens[0].name=local-dev",
                                "--batchgate.auth.tokens[0].token=short",
                                "--batchgate.auth.tokens[0].scopes=admin"))
                .hasRootCauseMessage(
                        "API callers are misconfigured:\n  batchgate.auth.tokens[0].token: must have at least 12 characters");
        // other tests' contexts may still log in this JVM: look at what this start-up printed
        String text = output.getAll();
        assertThat(text)
                .contains("APPLICATION FAILED TO START")
                .contains("batchgate.auth.tokens[0].token: must have at least 12 characters")
                .contains("at least 12 characters (BATCHGATE_TOKEN for the embedded default)");
        String report = text.substring(text.indexOf("APPLICATION FAILED TO START"));
        assertThat(report.substring(0, report.indexOf("Action:")).lines())
                .as(report)
                .hasSizeLessThan(10)
                .noneMatch(line -> line.startsWith("\tat "));
        assertThat(text)
                .doesNotContain("Application run failed")
                .doesNotContain("Error starting Tomcat context")
                .doesNotContain("\tat io.batchgate.gateway.auth.CallerRegistry.<init>");
    }
}
