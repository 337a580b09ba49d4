package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.MonitorSpec;
import io.batchgate.runner.monitor.MonitorProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Monitors as code: creates or updates each job's check through the Healthchecks Management API
 * v3 ({@code POST /api/v3/checks/} with {@code unique: ["slug"]}: 201 created, 200 an existing check
 * updated). Only slug monitors are provisioned — a job with a full ping URL already names a check
 * someone made by hand. Checks are never deleted.
 */
final class HealthchecksChecks {

    private static final Logger log = LoggerFactory.getLogger(HealthchecksChecks.class);
    private static final Duration MIN_GRACE = Duration.ofMinutes(1);
    private static final Duration MAX_GRACE = Duration.ofDays(365);

    private final MonitorProperties.Management settings;
    private final HttpClient http;
    private final JsonMapper json;
    private final Duration timeout;

    HealthchecksChecks(MonitorProperties properties, HttpClient http, JsonMapper json) {
        this.settings = properties.management();
        this.http = http;
        this.json = json;
        this.timeout = properties.timeout();
    }

    /** What one provisioning pass did, job by job. */
    public record Report(List<String> created, List<String> updated, List<String> skipped, List<String> failed) {

        @Override
        public String toString() {
            return "created " + created + ", updated " + updated + ", skipped " + skipped + ", failed " + failed;
        }
    }

    /** Creates or updates the check of every job with a slug monitor; never throws for one job's failure. */
    public Report provision(Catalog catalog) {
        return provision(catalog, name -> true);
    }

    /** As {@link #provision(Catalog)}, for the jobs {@code which} accepts only. */
    public Report provision(Catalog catalog, Predicate<String> which) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (JobDefinition job : catalog.jobs().values()) {
            if (job.monitor().isEmpty() || !which.test(job.name())) {
                continue;
            }
            MonitorSpec monitor = job.monitor().get();
            if (monitor.slug().isEmpty()) {
                skipped.add(job.name());
                continue;
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/api/v3/checks/"))
                                .timeout(timeout)
                                .header("X-Api-Key", settings.apiKey())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(checkOf(job))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                switch (response.statusCode()) {
                    case 201 -> created.add(job.name());
                    case 200 -> updated.add(job.name());
                    default -> {
                        failed.add(job.name() + " (HTTP " + response.statusCode() + ")");
                        log.warn(
                                "Healthchecks refused the check of job {}: HTTP {} {}",
                                job.name(),
                                response.statusCode(),
                                abbreviate(response.body()));
                    }
                }
            } catch (IOException e) {
                failed.add(job.name() + " (" + e + ")");
                log.warn("could not reach Healthchecks for the check of job {}: {}", job.name(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(job.name() + " (interrupted)");
                break;
            }
        }
        Report report = new Report(created, updated, skipped, failed);
        log.info("Healthchecks checks of catalog {}: {}", catalog.version(), report);
        return report;
    }

    /** The Management API's check fields for a job's monitor. */
    Map<String, Object> checkOf(JobDefinition job) {
        MonitorSpec monitor = job.monitor().orElseThrow();
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", job.name());
        check.put("slug", monitor.slug().orElseThrow());
        check.put("tags", String.join(" ", monitor.tags()));
        check.put("desc", job.description());
        monitor.schedule().ifPresent(schedule -> {
            check.put("schedule", schedule);
            check.put("tz", monitor.tz().orElse(ZoneOffset.UTC).getId());
        });
        monitor.period().ifPresent(period -> check.put("timeout", period.toSeconds()));
        check.put("grace", graceOf(job).toSeconds());
        if (settings.channels() != null) {
            check.put("channels", settings.channels());
        }
        check.put("unique", List.of("slug"));
        return check;
    }

    /**
     * The monitor's own grace, else the longest an attempt may run and be stopped (run timeout plus
     * stop grace) plus the margin, within Healthchecks' 1 minute to 1 year.
     */
    Duration graceOf(JobDefinition job) {
        Duration grace = job.monitor()
                .flatMap(MonitorSpec::grace)
                .or(() -> job.timeouts()
                        .run()
                        .map(run -> run.plus(job.timeouts().stopGrace()).plus(settings.graceMargin())))
                .orElse(settings.defaultGrace());
        Duration rounded = Duration.ofSeconds(grace.toSeconds() + (grace.toNanosPart() > 0 ? 1 : 0));
        return rounded.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : rounded.compareTo(MAX_GRACE) > 0 ? MAX_GRACE : rounded;
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
