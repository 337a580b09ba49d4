package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The production database path: the whole application on MariaDB through Connector/J (Liquibase
 * migrations, Spring Batch's MySQL schema, the ledger, the claim), end to end over HTTP.
 */
class MariaDbEndToEndTests {

    @TempDir
    Path dataDir;

    @Test
    void triggersRunToTheirExitCodesOnMariaDb() {
        String url = TestDatabases.newMariaDbDatabase();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchgateApplication.class)
                .run(
                        "--server.port=0",
                        "--batchgate.data-dir=" + dataDir,
                        "--batchgate.catalog.dir="
                                + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                        "--batchgate.auth.tokens[0].name=ci",
                        "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                        "--batchgate.auth.tokens[0].scopes=admin",
                        "--batchgate.auth.trigger-rate.per-second=100000",
                        "--batchgate.auth.trigger-rate.burst=100000",
                        "--spring.datasource.url=" + url,
                        "--spring.datasource.username=" + TestDatabases.MARIADB_USER,
                        "--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD,
                        "--spring.cloud.aws.sqs.listener.poll-timeout=1s")) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            JsonNode hello = api.awaitFinal(api.trigger("hello", Map.of("GREETING", "Hola")));
            assertThat(hello.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(api.logs(hello.get("runId").asString())).contains("Hola");
            JsonNode failed = api.awaitFinal(api.trigger("exit-with", Map.of("CODE", "3")));
            assertThat(failed.get("status").asString()).isEqualTo("FAILED");
            assertThat(failed.get("exitCode").asInt()).isEqualTo(3);
            JsonNode warned = api.awaitFinal(api.trigger("exit-with", Map.of("CODE", "1")));
            assertThat(warned.get("warning").asBoolean()).isTrue();
            assertThat(api.json(api.get("/api/v1/runs?job=exit-with")).get("runs"))
                    .hasSize(2);
        }
    }
}
