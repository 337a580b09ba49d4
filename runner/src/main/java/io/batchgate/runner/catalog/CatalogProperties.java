package io.batchgate.runner.catalog;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the job catalog comes from.
 *
 * @param dir a directory of catalog YAML files; when unset, the sample catalog bundled in the jar
 *     is used (the embedded default), copied under the data directory so it can be read and edited
 * @param reloadInterval how often the directory is re-read; a changed catalog without errors
 *     replaces the one in force, one with errors is refused and the previous one stays
 * @param versionRetention a stored catalog version first loaded longer ago than this is deleted
 *     once no active run was accepted with it (the version in force is always kept)
 */
@ConfigurationProperties("batchgate.catalog")
record CatalogProperties(
        @Nullable String dir,
        @DefaultValue("30s") Duration reloadInterval,
        @DefaultValue("30d") Duration versionRetention) {

    CatalogProperties {
        if (versionRetention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException(
                    "batchgate.catalog.version-retention must be at least 1h, was " + versionRetention);
        }
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException(
                    "batchgate.catalog.reload-interval must be positive, was " + reloadInterval);
        }
    }
}
