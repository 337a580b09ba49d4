package io.batchgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.gateway.GatewayIntegrationTests;
import io.batchgate.gateway.GatewayTestSupport;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The places a secret parameter could still show up once the API and the tables keep it out
 * ({@code SecretsAtRestTests}): every console page about its run, the console's text search, the
 * metrics scrape and batchgate's own log, over a run that used the value in both its attempts.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleSecretsTests extends GatewayIntegrationTests {

    private static final String SECRET = "Qw9-console-s3cret-77";

    @Test
    void aSecretParamIsShownNowhereInTheConsoleTheMetricsOrBatchgatesOwnLog(CapturedOutput output) throws Exception {
        Path go = Files.createTempFile(DATA_DIR, "go", ".flag");
        Files.delete(go);
        String runId = api.trigger("secret-echo", Map.of("PASSWORD", SECRET, "GO_FILE", go.toString()));
        // attempt 1 has printed the value and waits: the run is active, its value sealed but in use
        await().atMost(Duration.ofSeconds(60)).until(() -> api.logs(runId).contains("the password is"));
        ConsoleClient console = ConsoleClient.signedIn(port, GatewayTestSupport.TOKEN);
        assertTheConsoleShowsNoSecret(console, runId, go, "while the run is active");

        Files.writeString(go, "go");
        assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.logs(runId))
                .as("the value reached both attempts")
                .contains("the password is ******", "attempt 2 got Q.w.9.-.c.o.n.s.o.l.e.-.s.3.c.r.e.t.-.7.7.");
        assertTheConsoleShowsNoSecret(console, runId, go, "after the run");

        assertThat(api.get("/actuator/prometheus").body()).as("the metrics").doesNotContain(SECRET);
        assertThat(output.getAll())
                .as("batchgate's own log while the run was triggered, ran twice and was shown")
                .contains(runId)
                .doesNotContain(SECRET);
    }

    private static void assertTheConsoleShowsNoSecret(ConsoleClient console, String runId, Path go, String when) {
        String run = "/ui/runs/" + runId;
        for (String page : List.of(
                run,
                run + "/live",
                run + "/log",
                run + "/log.txt",
                run + "/row",
                "/ui/runs?job=secret-echo",
                "/ui/timeline?job=secret-echo",
                "/ui/jobs/secret-echo",
                "/ui/jobs")) {
            HttpResponse<String> response = console.get(page);
            assertThat(response.statusCode()).as(page + " " + when).isEqualTo(200);
            assertThat(response.body()).as(page + " " + when).doesNotContain(SECRET);
        }
        assertThat(console.get(run).body()).as("the run page " + when).contains("PASSWORD", "******");
        HttpResponse<String> rerun = console.get(run + "/rerun");
        String form = rerun.headers().firstValue("Location").orElseThrow();
        assertThat(form).as("run again with changes").contains("/ui/jobs/secret-echo?from=" + runId);
        HttpResponse<String> prefilled = console.get(form.substring(form.indexOf("/ui/"), form.indexOf('#')));
        assertThat(prefilled.statusCode()).as(prefilled.body()).isEqualTo(200);
        assertThat(prefilled.body())
                .as("the form filled in with the run's parameters " + when)
                .contains("name=\"PASSWORD\"", go.toString())
                .doesNotContain(SECRET);
        assertThat(console.get("/ui/runs?q=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8))
                        .body())
                .as("the text search cannot find a run by its secret " + when)
                .doesNotContain(runId);
    }
}
