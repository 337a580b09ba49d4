package io.batchgate.runner.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Assumptions;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Real databases for tests: a fresh H2 in-memory database, or a fresh database on the MariaDB
 * server that {@code scripts/test} starts (its URL in {@code BATCHGATE_TEST_MARIADB_URL}). With
 * {@code BATCHGATE_REQUIRE_MARIADB=1}, as in CI, a missing MariaDB fails the test instead of
 * skipping it.
 */
public final class TestDatabases {

    public static final String MARIADB_USER = "batchgate";
    public static final String MARIADB_PASSWORD = "batchgate";

    private TestDatabases() {}

    public static Optional<String> mariaDbServerUrl() {
        return Optional.ofNullable(System.getenv("BATCHGATE_TEST_MARIADB_URL")).filter(s -> !s.isBlank());
    }

    /** Skips (or, in CI, fails) the calling test when no MariaDB server is available. */
    public static String requireMariaDbServer() {
        Optional<String> url = mariaDbServerUrl();
        if (url.isEmpty()) {
            if ("1".equals(System.getenv("BATCHGATE_REQUIRE_MARIADB"))) {
                throw new IllegalStateException("BATCHGATE_REQUIRE_MARIADB=1 but BATCHGATE_TEST_MARIADB_URL is unset");
            }
            Assumptions.abort("no MariaDB server (run the suite with scripts/test to include MariaDB)");
        }
        return url.get();
    }

    /** A JDBC URL of a new, empty database on the MariaDB server. */
    public static String newMariaDbDatabase() {
        String server = requireMariaDbServer();
        String name = "bg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection =
                        DriverManager.getConnection(server + "?" + options(), MARIADB_USER, MARIADB_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a MariaDB database at " + server, e);
        }
        return server + name + "?" + options();
    }

    public static String newH2Database() {
        return "jdbc:h2:mem:bg" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    }

    private static String options() {
        return "sslMode=DISABLED&allowPublicKeyRetrieval=true&connectionTimeZone=UTC";
    }

    public static DataSource dataSource(String url) {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
        try {
            dataSource.setDriver(DriverManager.getDriver(url));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        dataSource.setUrl(url);
        if (url.startsWith("jdbc:mysql:")) {
            dataSource.setUsername(MARIADB_USER);
            dataSource.setPassword(MARIADB_PASSWORD);
        } else {
            dataSource.setUsername("sa");
            dataSource.setPassword("");
        }
        return dataSource;
    }

    /** Applies batchgate's Liquibase changelog, as the application does at start-up. */
    public static DataSource migrated(String url) {
        DataSource dataSource = dataSource(url);
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(dataSource);
        liquibase.setChangeLog("classpath:db/changelog/batchgate-changelog.yaml");
        liquibase.setResourceLoader(new DefaultResourceLoader());
        try {
            liquibase.afterPropertiesSet();
        } catch (Exception e) {
            throw new IllegalStateException("migration failed on " + url, e);
        }
        return dataSource;
    }
}
