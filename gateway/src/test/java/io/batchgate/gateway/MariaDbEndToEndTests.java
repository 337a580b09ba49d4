package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.jdbc.JdbcConnection;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
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
        try (ConfigurableApplicationContext context = start(
                TestDatabases.newMariaDbDatabase(),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000")) {
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

            // each attempt's Spring Batch execution, opened with the claim and closed with the end
            JobRepository jobRepository = context.getBean(JobRepository.class);
            JobExecution helloExecution = jobRepository.getJobExecution(
                    hello.get("attempts").get(0).get("jobExecutionId").asLong());
            assertThat(helloExecution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            JobExecution failedExecution = jobRepository.getJobExecution(
                    failed.get("attempts").get(0).get("jobExecutionId").asLong());
            assertThat(failedExecution.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failedExecution.getExitStatus().getExitDescription()).isEqualTo("exit code 3");
        }
    }

    /** On Connector/J the pool gets HikariCP's recommended driver settings unless told otherwise. */
    @Test
    void theMySqlDriverIsTunedUnlessTheUrlSaysOtherwise() throws Exception {
        String url = TestDatabases.newMariaDbDatabase() + "&prepStmtCacheSize=99"; // it has a query already
        try (ConfigurableApplicationContext context =
                        start(url, "--spring.datasource.hikari.data-source-properties.useLocalSessionState=false");
                Connection connection = context.getBean(DataSource.class).getConnection()) {
            PropertySet driver = connection.unwrap(JdbcConnection.class).getPropertySet();
            assertThat(driver.getBooleanProperty(PropertyKey.useServerPrepStmts).getValue())
                    .isTrue();
            assertThat(driver.getBooleanProperty(PropertyKey.cachePrepStmts).getValue())
                    .isTrue();
            assertThat(driver.getIntegerProperty(PropertyKey.prepStmtCacheSqlLimit)
                            .getValue())
                    .isEqualTo(2048);
            assertThat(driver.getBooleanProperty(PropertyKey.rewriteBatchedStatements)
                            .getValue())
                    .isTrue();
            assertThat(driver.getIntegerProperty(PropertyKey.prepStmtCacheSize).getValue())
                    .as("given in the URL")
                    .isEqualTo(99);
            assertThat(driver.getBooleanProperty(PropertyKey.useLocalSessionState)
                            .getValue())
                    .as("given as a data source property")
                    .isFalse();
            // the overlap and concurrency counts need READ COMMITTED; the server's default stays REPEATABLE READ
            try (var statement = connection.createStatement();
                    var rs = statement.executeQuery("SELECT @@tx_isolation, @@global.tx_isolation")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("READ-COMMITTED");
                assertThat(rs.getString(2)).isEqualTo("REPEATABLE-READ");
            }
        }
    }

    /** The whole application on the given MariaDB database, with these further arguments. */
    private ConfigurableApplicationContext start(String url, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir="
                        + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + TestDatabases.MARIADB_USER,
                "--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD,
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
    }
}
