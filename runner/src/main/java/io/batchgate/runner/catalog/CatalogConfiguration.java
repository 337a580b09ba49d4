package io.batchgate.runner.catalog;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.runner.instance.DataDirProperties;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

    @Bean
    CurrentCatalog currentCatalog(CatalogProperties properties, DataDirProperties data) {
        Path directory = properties.dir() == null || properties.dir().isBlank()
                ? BundledSampleCatalog.extractTo(data.dataDir().resolve("sample-catalog"))
                : Path.of(properties.dir());
        return new CurrentCatalog(directory, new CatalogLoader());
    }
}
