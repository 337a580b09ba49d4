package io.batchgate.runner.monitor.healthchecks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * batchgate's own heartbeat: every interval, the success ping while this process runs and its
 * database answers, {@code /fail} with the reason when the database does not. A dead or hung
 * runner sends nothing, and the check's period and grace raise the alert.
 */
final class SelfHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(SelfHeartbeat.class);

    private final URI url;
    private final JdbcClient jdbc;
    private final HttpClient http;
    private final Duration timeout;
    private final PingMetrics metrics;

    SelfHeartbeat(URI url, JdbcClient jdbc, HttpClient http, Duration timeout, PingMetrics metrics) {
        this.url = url;
        this.jdbc = jdbc;
        this.http = http;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /** One beat; returns the HTTP status, or -1 when the monitor could not be reached. */
    public int beat() {
        String problem = null;
        try {
            jdbc.sql("SELECT 1").query(Integer.class).single();
        } catch (RuntimeException e) {
            problem = "batchgate: the database does not answer: " + e.getMessage();
        }
        URI target = problem == null ? url : URI.create(url + "/fail");
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(target)
                            .timeout(timeout)
                            .header("User-Agent", "batchgate")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    problem == null ? "batchgate is up" : problem, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                metrics.sent();
            } else {
                metrics.failed();
                log.warn("own heartbeat to {} answered {}", target, response.statusCode());
            }
            return response.statusCode();
        } catch (java.io.IOException e) {
            metrics.failed();
            log.warn("own heartbeat to {} failed: {}", target, e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
