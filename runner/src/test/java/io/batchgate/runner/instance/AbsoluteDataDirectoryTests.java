package io.batchgate.runner.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code BATCHGATE_DATA_DIR=data} (no {@code ./}): the embedded database's URL is built from the
 * data directory, and H2 refuses a path implicitly relative to the working directory; start-up
 * then retried it until its limit (5 minutes) and gave up.
 */
class AbsoluteDataDirectoryTests {

    /** Implicitly relative, as a user would write it; under target/ of the module being built. */
    private final String relative = "target/relative-data-" + UUID.randomUUID();

    @Configuration(proxyBeanMethods = false)
    static class Empty {}

    @AfterEach
    void removeTheDirectory() throws Exception {
        Path dir = Path.of(relative);
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void theEmbeddedDatabaseOpensUnderARelativeDataDirectory() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "user",
                        Map.of(
                                "batchgate.data-dir",
                                relative,
                                // as the gateway's application.yaml builds it
                                "url",
                                "jdbc:h2:file:${batchgate.data-dir}/db/batchgate;DB_CLOSE_ON_EXIT=FALSE")));
        String asWritten = environment.getProperty("url");
        assertThatThrownBy(
                        () -> DriverManager.getConnection(asWritten, "sa", "").close())
                .hasMessageContaining("implicitly relative");

        new AbsoluteDataDirectory().postProcessEnvironment(environment, new SpringApplication());

        assertThat(Path.of(environment.getProperty("batchgate.data-dir")))
                .isAbsolute()
                .isEqualTo(Path.of(relative).toAbsolutePath());
        try (Connection connection = DriverManager.getConnection(environment.getProperty("url"), "sa", "")) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(Path.of(relative, "db", "batchgate.mv.db")).exists();
    }

    @Test
    void everyApplicationResolvesItBeforeBindingIt() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("batchgate.data-dir=" + relative)
                .run()) {
            assertThat(context.getEnvironment().getProperty("batchgate.data-dir"))
                    .isEqualTo(Path.of(relative).toAbsolutePath().toString());
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("batchgate.data-dir=/srv/batchgate")
                .run()) {
            assertThat(context.getEnvironment().getProperty("batchgate.data-dir"))
                    .isEqualTo("/srv/batchgate");
        }
    }
}
