package io.batchgate.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.gateway.ApiClient;
import io.batchgate.gateway.BatchgateApplication;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.gateway.Jobctl;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway restarts while jobctl waits for a run: jobctl keeps polling the same run id through
 * the outage (it never triggers again) and exits with the job's own exit code.
 */
@Tag("fault")
@Tag("sql")
class JobctlGatewayRestartTests {

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    private ConfigurableApplicationContext start(int port) {
        List<String> args = new ArrayList<>(TestDatabases.selectedDatabaseArguments(dataDir));
        args.addAll(List.of(
                "--server.port=" + port,
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir="
                        + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        return new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
    }

    @AfterEach
    void killJobctlsLeftRunning() {
        Jobctl.killAllStarted();
        JobProcesses.killAll(dataDir);
    }

    @Test
    void aGatewayRestartDuringWaitDoesNotLoseTheExitCode() throws Exception {
        int port = freePort();
        Jobctl jobctl = new Jobctl(work, port, GatewayTestSupport.TOKEN).with("BATCHGATE_RETRY_FOR", "120");
        Jobctl.Started started;
        String runId;
        try (ConfigurableApplicationContext first = start(port)) {
            ApiClient api = new ApiClient(port);
            // runs for 6 s, then exits with 42; the gateway stops while jobctl's poll is parked
            started = jobctl.start("run", "noisy-late", "--wait");
            runId = await().atMost(Duration.ofSeconds(20)).until(started::firstLine, line -> line != null);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.run(runId).get("status").asString(), "RUNNING"::equals);
        }
        // jobctl meets the closed port and says it keeps trying, before the gateway is back
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(started.err()).contains("trying again"));
        try (ConfigurableApplicationContext second = start(port)) {
            Jobctl.Result result = started.result();
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(42);
            assertThat(result.runId()).isEqualTo(runId);
            // released at the shutdown, jobctl met a closed port and kept polling the same run
            assertThat(result.stderr()).contains("trying again");
            ApiClient api = new ApiClient(port);
            assertThat(api.run(runId).get("attempts")).hasSize(1);
            assertThat(api.json(api.get("/api/v1/runs?limit=500")).get("runs")).hasSize(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
