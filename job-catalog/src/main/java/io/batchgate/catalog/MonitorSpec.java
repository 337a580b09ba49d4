package io.batchgate.catalog;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A job's heartbeat monitor (the Healthchecks protocol): where its pings go, and — for checks
 * batchgate provisions itself — what the check expects.
 *
 * @param url a full ping URL ({@code https://hc-ping.com/<uuid>}); exclusive with {@code slug}
 * @param slug a check slug, pinged at {@code <ping base URL>/<ping key>/<slug>} with the deployment's ping key
 * @param schedule a cron expression (5 fields) the job is expected to run on; exclusive with {@code period}
 * @param tz the time zone of {@code schedule}; UTC if not given
 * @param period the expected time between runs, for jobs not on a cron schedule
 * @param grace how late a run may be before the check goes down; derived from the run timeout if empty
 * @param tags labels of the provisioned check (no spaces)
 */
public record MonitorSpec(
        Optional<URI> url,
        Optional<String> slug,
        Optional<String> schedule,
        Optional<ZoneId> tz,
        Optional<Duration> period,
        Optional<Duration> grace,
        List<String> tags) {

    /** Healthchecks' slug alphabet. */
    static final Pattern SLUG = Pattern.compile("[a-z0-9_-]{1,100}");
    /** Healthchecks accepts periods and grace times from one minute to one year. */
    static final Duration MIN_PERIOD = Duration.ofMinutes(1);

    static final Duration MAX_PERIOD = Duration.ofDays(365);
    static final Pattern TAG = Pattern.compile("\\S{1,100}");

    public MonitorSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(tz, "tz");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(grace, "grace");
        tags = List.copyOf(tags);
        if (url.isPresent() == slug.isPresent()) {
            throw new IllegalArgumentException("a monitor needs exactly one of url, slug");
        }
        url.ifPresent(u -> {
            if (!isPingUrl(u)) {
                throw new IllegalArgumentException("url must be an absolute http(s) URL without query: " + u);
            }
        });
        slug.ifPresent(s -> {
            if (!SLUG.matcher(s).matches()) {
                throw new IllegalArgumentException("slug must match " + SLUG.pattern() + ": " + s);
            }
        });
        if (schedule.isPresent() && period.isPresent()) {
            throw new IllegalArgumentException("a monitor has a schedule or a period, not both");
        }
        if (tz.isPresent() && schedule.isEmpty()) {
            throw new IllegalArgumentException("tz needs a schedule");
        }
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("tags must be non-empty and contain no spaces: '" + tag + "'");
            }
        }
    }

    static boolean isPingUrl(URI uri) {
        return uri.isAbsolute()
                && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                && uri.getHost() != null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null;
    }
}
