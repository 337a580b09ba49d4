package io.batchgate.runner.monitor;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Heartbeats to a Healthchecks instance (hosted or self-hosted). Everything is off by default.
 *
 * @param enabled ping the monitor of every job whose catalog entry has one
 * @param pingBaseUrl where slug monitors are pinged: {@code <pingBaseUrl>/<pingKey>/<slug>}
 * @param pingKey the project's ping key; needed by jobs whose monitor is a slug
 * @param timeout of one ping request
 * @param interval between looks at the pings waiting to be sent
 * @param maxTries of one ping before it is dropped (and counted)
 * @param initialBackoff before the second try; doubled for each further one up to {@code maxBackoff}
 * @param maxAge a ping not sent by then is dropped (and counted): late heartbeats mislead
 * @param defaultBodyLimit bytes of a ping body until the server says otherwise ({@code Ping-Body-Limit})
 * @param management monitors as code: create or update each job's check at start-up
 * @param self batchgate's own heartbeat
 */
@ConfigurationProperties("batchgate.monitor")
public record MonitorProperties(
        boolean enabled,
        URI pingBaseUrl,
        @Nullable String pingKey,
        Duration timeout,
        Duration interval,
        int maxTries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxAge,
        int defaultBodyLimit,
        Management management,
        Self self) {

    public MonitorProperties {
        pingBaseUrl = withoutTrailingSlash(pingBaseUrl == null ? URI.create("https://hc-ping.com") : pingBaseUrl);
        pingKey = pingKey == null || pingKey.isBlank() ? null : pingKey;
        timeout = positive(timeout, Duration.ofSeconds(10), "timeout");
        interval = positive(interval, Duration.ofSeconds(1), "interval");
        maxTries = maxTries == 0 ? 10 : maxTries;
        if (maxTries < 1) {
            throw new IllegalArgumentException("batchgate.monitor.max-tries must be at least 1, was " + maxTries);
        }
        initialBackoff = positive(initialBackoff, Duration.ofSeconds(2), "initial-backoff");
        maxBackoff = positive(maxBackoff, Duration.ofMinutes(5), "max-backoff");
        maxAge = positive(maxAge, Duration.ofHours(1), "max-age");
        defaultBodyLimit = defaultBodyLimit == 0 ? 10_000 : defaultBodyLimit;
        if (defaultBodyLimit < 0) {
            throw new IllegalArgumentException("batchgate.monitor.default-body-limit must be positive");
        }
        management = management == null ? new Management(false, null, null, null, null, null) : management;
        self = self == null ? new Self(null, null) : self;
    }

    /** Monitoring as configured by the embedded default: off. */
    public static MonitorProperties defaults() {
        return new MonitorProperties(false, null, null, null, null, 0, null, null, null, 0, null, null);
    }

    /**
     * Monitors as code through the Healthchecks Management API v3.
     *
     * @param enabled create or update each job's check (by its slug) when the catalog is loaded
     * @param baseUrl the Healthchecks site: {@code https://healthchecks.io} or your own instance
     * @param apiKey a read-write API key of the project ({@code X-Api-Key})
     * @param graceMargin added to a job's run timeout (and stop grace) to make the check's grace
     * @param defaultGrace the grace of jobs with neither a monitor grace nor a run timeout
     * @param channels integrations of the checks ({@code "*"} for all); not sent when unset, so
     *     existing checks keep theirs and new ones get none
     */
    public record Management(
            boolean enabled,
            URI baseUrl,
            @Nullable String apiKey,
            Duration graceMargin,
            Duration defaultGrace,
            @Nullable String channels) {

        public Management {
            baseUrl = withoutTrailingSlash(baseUrl == null ? URI.create("https://healthchecks.io") : baseUrl);
            apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
            graceMargin = graceMargin == null ? Duration.ofMinutes(10) : graceMargin;
            defaultGrace = positive(defaultGrace, Duration.ofHours(1), "management.default-grace");
            channels = channels == null || channels.isBlank() ? null : channels;
            if (enabled && apiKey == null) {
                throw new IllegalArgumentException(
                        "batchgate.monitor.management.enabled=true needs batchgate.monitor.management.api-key");
            }
        }
    }

    /**
     * batchgate's own heartbeat.
     *
     * @param url a full ping URL; unset means no heartbeat of its own
     * @param interval between pings
     */
    public record Self(@Nullable URI url, Duration interval) {

        public Self {
            interval = positive(interval, Duration.ofMinutes(1), "self.interval");
        }
    }

    static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    private static Duration positive(@Nullable Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("batchgate.monitor." + name + " must be positive, was " + value);
        }
        return value;
    }
}
