package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.MonitorSpec;
import io.batchgate.runner.monitor.MonitorProperties;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** A job's ping URL: its monitor's own URL, or the ping base URL, the project's ping key and the slug. */
final class PingUrls {

    private final URI pingBaseUrl;
    private final Optional<String> pingKey;

    PingUrls(MonitorProperties properties) {
        this.pingBaseUrl = properties.pingBaseUrl();
        this.pingKey = Optional.ofNullable(properties.pingKey());
    }

    /** Empty for a job without a monitor, and for a slug monitor when no ping key is configured. */
    Optional<URI> of(JobDefinition job) {
        return job.monitor().flatMap(this::of);
    }

    Optional<URI> of(MonitorSpec monitor) {
        if (monitor.url().isPresent()) {
            return monitor.url();
        }
        return pingKey.flatMap(key -> monitor.slug().map(slug -> URI.create(pingBaseUrl + "/" + key + "/" + slug)));
    }

    /** {@code file:line} of every job whose slug monitor cannot be pinged because no ping key is set. */
    List<String> unreachable(Catalog catalog) {
        return catalog.jobs().values().stream()
                .filter(job -> job.monitor().isPresent() && of(job).isEmpty())
                .map(job -> job.file() + ":" + job.line() + ": jobs." + job.name() + ".monitor.slug")
                .toList();
    }
}
