package io.batchgate.runner.catalog;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.instance.DataDirProperties;
import io.batchgate.runner.loop.PeriodicLoop;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

    @Bean
    CatalogVersions catalogVersions(JdbcClient jdbc) {
        return new JdbcCatalogVersions(jdbc);
    }

    @Bean
    CurrentCatalog currentCatalog(
            CatalogProperties properties,
            DataDirProperties data,
            CatalogVersions versions,
            Clock clock,
            ObjectProvider<MeterRegistry> meters) {
        Path directory = properties.dir() == null || properties.dir().isBlank()
                ? BundledSampleCatalog.extractTo(data.dataDir().resolve("sample-catalog"))
                : Path.of(properties.dir());
        return new CurrentCatalog(
                directory, new CatalogLoader(), versions, clock, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Hourly is plenty for a retention of at least an hour (30 days by default). */
    @Bean
    @ConditionalOnRunner
    PeriodicLoop catalogVersionPruning(CurrentCatalog catalog, CatalogProperties properties, Clock clock) {
        return new PeriodicLoop(
                "catalog-version-pruning",
                Duration.ofHours(1),
                () -> catalog.pruneVersions(clock.instant().minus(properties.versionRetention())));
    }

    /** Every replica follows the directory on its own: a merged change reaches all within one interval. */
    @Bean
    PeriodicLoop catalogReloadLoop(CurrentCatalog catalog, CatalogProperties properties) {
        return new PeriodicLoop("catalog-reload", properties.reloadInterval(), catalog::reload);
    }
}
