package io.batchgate.runner.instance;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this instance keeps its files.
 *
 * @param dataDir the H2 database of the embedded default, attempt output, the copy of the bundled
 *     sample catalog
 */
@ConfigurationProperties("batchgate")
public record DataDirProperties(
        @DefaultValue("./batchgate-data") Path dataDir) {}
