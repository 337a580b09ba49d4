package io.batchgate.runner.instance;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code batchgate.data-dir} absolute before anything reads it. The embedded default's
 * database URL is built from it, and H2 refuses a file path that is implicitly relative to the
 * working directory ({@code data} rather than {@code ./data}); start-up then waited out its whole
 * limit for a database that could never open. Resolved once here, every user of the directory
 * (database, attempt output, keys) sees the same absolute path in its logs too.
 */
public class AbsoluteDataDirectory implements EnvironmentPostProcessor {

    static final String PROPERTY = "batchgate.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            return;
        }
        String absolute = Path.of(configured).toAbsolutePath().normalize().toString();
        if (!absolute.equals(configured)) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource("batchgate-absolute-data-dir", Map.of(PROPERTY, absolute)));
        }
    }
}
