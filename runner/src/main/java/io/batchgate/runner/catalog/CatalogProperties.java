package io.batchgate.runner.catalog;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the job catalog comes from.
 *
 * @param dir a directory of catalog YAML files; when unset, the sample catalog bundled in the jar
 *     is used (the embedded default), copied under the data directory so it can be read and edited
 */
@ConfigurationProperties("batchgate.catalog")
record CatalogProperties(@Nullable String dir) {}
