package io.batchgate.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a job's {@code monitor} section. */
final class MonitorReader {

    static final List<String> KEYS = List.of("url", "slug", "schedule", "tz", "period", "grace", "tags");
    /** Five cron fields of the characters cron (and Healthchecks) accept; Healthchecks checks the rest. */
    private static final Pattern CRON = Pattern.compile("[0-9A-Za-z*,/?#LW-]+( +[0-9A-Za-z*,/?#LW-]+){4}");

    private MonitorReader() {}

    static Optional<MonitorSpec> read(MappingReader monitor) {
        Problems problems = monitor.problems();
        int before = problems.errorCount();
        Optional<URI> url = monitor.nonEmptyString("url").flatMap(text -> pingUrl(monitor, text));
        Optional<String> slug = monitor.nonEmptyString("slug");
        slug.ifPresent(s -> {
            if (!MonitorSpec.SLUG.matcher(s).matches()) {
                monitor.error("slug", "must match " + MonitorSpec.SLUG.pattern() + " (Healthchecks' slug alphabet)");
            }
        });
        if (monitor.has("url") && monitor.has("slug")) {
            monitor.error("slug", "set url or slug, not both");
        } else if (!monitor.has("url") && !monitor.has("slug")) {
            problems.error(monitor.line(), monitor.path(), "needs url (a full ping URL) or slug");
        }
        Optional<String> schedule = monitor.nonEmptyString("schedule").map(String::trim);
        schedule.ifPresent(cron -> {
            if (!CRON.matcher(cron).matches()) {
                monitor.error(
                        "schedule", "must be a cron expression of 5 fields (like \"0 2 * * *\"), found '" + cron + "'");
            }
        });
        Optional<ZoneId> tz = monitor.nonEmptyString("tz").flatMap(text -> zone(monitor, text));
        if (monitor.has("tz") && !monitor.has("schedule")) {
            monitor.error("tz", "only allowed with schedule");
        }
        Optional<Duration> period = monitor.duration("period").flatMap(d -> withinLimits(monitor, "period", d));
        if (monitor.has("period") && monitor.has("schedule")) {
            monitor.error("period", "set schedule or period, not both");
        }
        Optional<Duration> grace = monitor.duration("grace").flatMap(d -> withinLimits(monitor, "grace", d));
        List<String> tags = monitor.strings("tags", false).orElse(List.of());
        for (String tag : tags) {
            if (!MonitorSpec.TAG.matcher(tag).matches()) {
                monitor.error("tags", "tags must be non-empty and contain no spaces, found '" + tag + "'");
            }
        }
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new MonitorSpec(url, slug, schedule, tz, period, grace, tags));
    }

    private static Optional<URI> pingUrl(MappingReader monitor, String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (MonitorSpec.isPingUrl(uri)) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        monitor.error(
                "url",
                "must be an absolute http(s) ping URL without query (like https://hc-ping.com/<uuid>), found '" + text
                        + "'");
        return Optional.empty();
    }

    private static Optional<ZoneId> zone(MappingReader monitor, String text) {
        try {
            return Optional.of(ZoneId.of(text));
        } catch (DateTimeException e) {
            monitor.error("tz", "must be a time zone like Europe/Paris or UTC, found '" + text + "'");
            return Optional.empty();
        }
    }

    private static Optional<Duration> withinLimits(MappingReader monitor, String key, Duration value) {
        if (value.compareTo(MonitorSpec.MIN_PERIOD) < 0 || value.compareTo(MonitorSpec.MAX_PERIOD) > 0) {
            monitor.error(
                    key, "must be from 1m to 365d (Healthchecks' limits), found '" + Durations.format(value) + "'");
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
