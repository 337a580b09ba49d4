package io.batchgate.gateway;

import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole embedded default — real HTTP port, ElasticMQ, H2 file
 * database, real processes — in one Spring context shared by every subclass. With the system
 * property {@code batchgate.test.database=mariadb} (the module's second surefire run) the same
 * context runs on a fresh MariaDB database instead of H2.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("sql")
public abstract class GatewayIntegrationTests {

    protected static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("batchgate-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the shared context outlives every test class: what is left at the end goes with the JVM
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> JobProcesses.killAllAndDelete(DATA_DIR), "kill-test-jobs"));
    }

    /**
     * Whatever a test class did or failed to do, none of the jobs it started outlives it (a failed
     * wait would otherwise leave its jobs running forever): the next class starts on an idle machine.
     */
    @AfterAll
    static void killJobsLeftRunning() {
        List<String> killed = JobProcesses.killAll(DATA_DIR);
        if (!killed.isEmpty()) {
            System.err.println("killed job processes left running by the test class: " + killed);
        }
    }

    @DynamicPropertySource
    static void embeddedDefaultsInATempDirectory(DynamicPropertyRegistry registry) {
        registry.add("batchgate.data-dir", DATA_DIR::toString);
        GatewayTestSupport.selectedDatabase(registry, DATA_DIR);
        registry.add("batchgate.catalog.dir", () -> GatewayTestSupport.catalogWithSampleAndTestJobs(
                        DATA_DIR.resolve("catalog"))
                .toString());
        // CatalogReloadTests edits the catalog and waits for the periodic reload to pick it up
        registry.add("batchgate.catalog.reload-interval", () -> "300ms");
        registry.add("batchgate.auth.tokens[0].name", () -> "ci");
        registry.add("batchgate.auth.tokens[0].token", () -> GatewayTestSupport.TOKEN);
        registry.add("batchgate.auth.tokens[1].name", () -> "other");
        registry.add("batchgate.auth.tokens[0].scopes", () -> "admin");
        registry.add("batchgate.auth.tokens[1].token", () -> "other-token-0123456789");
        registry.add("batchgate.auth.tokens[1].scopes", () -> "trigger:*,cancel:*");
        for (TestCaller caller : TestCaller.values()) {
            int index = 2 + caller.ordinal();
            registry.add("batchgate.auth.tokens[" + index + "].name", caller::callerName);
            registry.add("batchgate.auth.tokens[" + index + "].token", caller::token);
            registry.add("batchgate.auth.tokens[" + index + "].scopes", caller::scopes);
            if (caller == TestCaller.LIMITED) {
                registry.add("batchgate.auth.tokens[" + index + "].trigger-rate.per-second", () -> "0.5");
                registry.add("batchgate.auth.tokens[" + index + "].trigger-rate.burst", () -> "3");
            }
        }
        // the suite triggers hundreds of runs within seconds as 'ci'; LIMITED shows the limit
        registry.add("batchgate.auth.trigger-rate.per-second", () -> "100000");
        registry.add("batchgate.auth.trigger-rate.burst", () -> "100000");
        registry.add("batchgate.runner.abandon-interval", () -> "200ms");
        registry.add("batchgate.wait.lease-renewal", () -> "1s");
        // ThousandWaitersTests parks 1,000 waiters at once: on a busy CI machine sending them all
        // can take longer than the default 25 s cut, and the first would be answered before the last
        // is parked. Tests that wait say how long (?wait=N), so a longer cut changes nothing else.
        registry.add("batchgate.wait.max", () -> "2m");
        registry.add("spring.cloud.aws.sqs.listener.poll-timeout", () -> "1s");
        registry.add("batchgate.runner.deadline-interval", () -> "100ms");
        registry.add("batchgate.launch.slot-recheck", () -> "200ms");
        registry.add("batchgate.queue.relay-interval", () -> "100ms");
        registry.add("batchgate.queue.visibility-seconds", () -> "1");
        registry.add("batchgate.queue.max-receive-count", () -> "2");
        registry.add("batchgate.queue.dead-letter-check-interval", () -> "200ms");
        // MetricsEndToEndTests waits for the queue depth gauge
        registry.add("batchgate.metrics.refresh-interval", () -> "200ms");
    }

    @BeforeAll
    static void selectedDatabaseIsThere() {
        TestDatabases.assumeSelectedDatabase();
    }

    @LocalServerPort
    protected int port;

    protected ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }
}
