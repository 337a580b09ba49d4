package io.batchgate.runner.catalog;

import io.batchgate.catalog.CatalogLoader;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

    @Bean
    CurrentCatalog currentCatalog(CatalogProperties properties, @Value("${batchgate.data-dir}") Path dataDir) {
        Path directory = properties.dir() == null || properties.dir().isBlank()
                ? BundledSampleCatalog.extractTo(dataDir.resolve("sample-catalog"))
                : Path.of(properties.dir());
        return new CurrentCatalog(directory, new CatalogLoader());
    }
}
