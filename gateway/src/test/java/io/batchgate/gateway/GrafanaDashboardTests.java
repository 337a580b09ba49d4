package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/grafana/batchgate.json} cannot drift from the application: every metric its panels
 * and variables query is in a real scrape of {@code /actuator/prometheus}, taken after one run
 * that was retried and succeeded (so that every counter has been touched at least once).
 */
class GrafanaDashboardTests extends GatewayIntegrationTests {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "batchgate.json");
    private static final Pattern METRIC = Pattern.compile("\\bbatchgate_[a-z0-9_]+");

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        Set<String> queried = new TreeSet<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.has("definition")) {
                expressions.add(variable.get("definition").asString());
            }
        }
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                queried.add(matcher.group());
            }
        }
        assertThat(queried)
                .as("the dashboard's metrics")
                .contains(
                        "batchgate_runs_finished_total",
                        "batchgate_attempts_duration_seconds_bucket",
                        "batchgate_runs_queue_wait_seconds_bucket",
                        "batchgate_runs_waiting",
                        "batchgate_outbox_age_seconds",
                        "batchgate_launches_total",
                        "batchgate_runs_retries_total",
                        "batchgate_schedule_lag_seconds_bucket",
                        "batchgate_schedule_missed_total");

        String run = api.trigger("flaky", Map.of("SUCCEED_ON", "2"));
        assertThat(api.awaitFinal(run).get("status").asString()).isEqualTo("SUCCEEDED");
        // the schedule meters appear with the scheduler's second pass over the sample's schedules
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(PrometheusScrape.parse(
                                        api.get("/actuator/prometheus").body())
                                .names())
                        .as("metrics in a real scrape")
                        .containsAll(queried));
    }

    @Test
    void theDashboardChoosesItsPrometheusAndItsJobs() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        Map<String, JsonNode> variables = new java.util.HashMap<>();
        dashboard
                .get("templating")
                .get("list")
                .forEach(v -> variables.put(v.get("name").asString(), v));
        assertThat(variables.get("datasource").get("type").asString()).isEqualTo("datasource");
        assertThat(variables.get("datasource").get("query").asString()).isEqualTo("prometheus");
        assertThat(variables.get("job").get("definition").asString()).startsWith("label_values(");
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("datasource").get("uid").asString())
                    .as(panel.get("title").asString())
                    .isEqualTo("${datasource}");
        }
    }
}
