package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A secret parameter's value never appears in clear in any table (the ledger, timeline, audit,
 * outbox, Spring Batch's own tables) while its run is active nor after it ends, never in the log
 * batchgate serves or follows, and still reaches every attempt: the retry too.
 */
class SecretsAtRestTests extends GatewayIntegrationTests {

    private static final String SECRET = "Xy7-s3cret-value-42";

    @Autowired
    DataSource dataSource;

    @Test
    void aSecretIsNeverStoredOrServedInClearAndStillReachesTheRetry() throws Exception {
        Path go = Files.createTempFile(DATA_DIR, "go", ".flag");
        Files.delete(go);
        String runId = api.trigger("secret-echo", Map.of("PASSWORD", SECRET, "GO_FILE", go.toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> api.logs(runId).contains("the password is"));
        assertThat(api.run(runId).get("status").asString()).isEqualTo("RUNNING");

        assertThat(tablesHolding(SECRET))
                .as("tables holding the secret while the run is active")
                .isEmpty();
        assertThat(api.logs(runId)).contains("the password is ******").doesNotContain(SECRET);
        CompletableFuture<HttpResponse<String>> follow = api.http()
                .sendAsync(
                        api.request("/api/v1/runs/" + runId + "/logs?follow=true")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        Files.writeString(go, "go");
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("attempts")).hasSize(2);
        String log = api.logs(runId);
        assertThat(log)
                .as("the retry got the value, spelled out so that the scrubber does not see it")
                .contains("attempt 2 got X.y.7.-.s.3.c.r.e.t.-.v.a.l.u.e.-.4.2.")
                .doesNotContain(SECRET);
        assertThat(follow.get().body()).contains("the password is ******").doesNotContain(SECRET);
        assertThat(api.get("/api/v1/runs/" + runId).body()).doesNotContain(SECRET);
        assertThat(api.get("/api/v1/runs?job=secret-echo&limit=100").body())
                .as("the history")
                .contains(runId)
                .doesNotContain(SECRET);
        assertThat(tablesHolding(SECRET))
                .as("tables holding the secret after the run")
                .isEmpty();
    }

    /** A dry run and a refused trigger echo neither a valid nor an invalid secret value. */
    @Test
    void theDryRunAndAnInvalidParamsProblemMaskTheSecret() {
        HttpResponse<String> dryRun = api.post(
                "/api/v1/jobs/typed/runs?dryRun=true",
                "application/json",
                "{\"params\":{\"NUMBER\":\"2\",\"PASSWORD\":\"" + SECRET + "\"}}");
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.body()).contains("PASSWORD").doesNotContain(SECRET);

        String tooLong = SECRET.repeat(20);
        HttpResponse<String> refused = api.post(
                "/api/v1/jobs/typed/runs",
                "application/json",
                "{\"params\":{\"NUMBER\":\"2\",\"PASSWORD\":\"" + tooLong + "\"}}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("PASSWORD").doesNotContain(SECRET);
    }

    /** Every row of every table, every column read as text, searched for the literal value. */
    private List<String> tablesHolding(String value) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(connection.getCatalog(), null, "%", null)) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    String type = rs.getString("TABLE_TYPE");
                    if ((schema == null || !schema.equalsIgnoreCase("INFORMATION_SCHEMA"))
                            && type != null
                            && type.toUpperCase(java.util.Locale.ROOT).contains("TABLE")
                            && !type.toUpperCase(java.util.Locale.ROOT).contains("SYSTEM")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            assertThat(tables).as("tables seen").hasSizeGreaterThan(10);
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object cell = rows.getObject(i);
                            String text = cell instanceof byte[] bytes
                                    ? new String(bytes, StandardCharsets.UTF_8)
                                    : cell instanceof java.sql.Clob clob
                                            ? clob.getSubString(1, (int) clob.length())
                                            : cell instanceof java.sql.Blob blob
                                                    ? new String(
                                                            blob.getBytes(1, (int) blob.length()),
                                                            StandardCharsets.UTF_8)
                                                    : String.valueOf(cell);
                            if (text.contains(value)) {
                                found.add(table + "." + rows.getMetaData().getColumnName(i));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
