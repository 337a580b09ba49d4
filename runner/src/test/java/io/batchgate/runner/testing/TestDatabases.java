package io.batchgate.runner.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * System property that picks the database of the suites that run on both: {@code h2} (the
     * default) or {@code mariadb}. The second surefire execution of each module sets it to rerun
     * the SQL-touching test classes on MariaDB.
     */
    public static final String DATABASE_PROPERTY = "batchgate.test.database";

    /** The MariaDB database of each data directory: a test's restart must find its own runs. */
    private static final Map<Path, String> MARIADB_BY_DATA_DIR = new ConcurrentHashMap<>();

    /** A database Liquibase migrated, copied by {@link #migrated} on MariaDB; guarded by the class. */
    private static String mariaDbTemplate;

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

    /** Whether this test JVM runs its SQL suites on MariaDB ({@link #DATABASE_PROPERTY}). */
    public static boolean mariaDbSelected() {
        String selected = System.getProperty(DATABASE_PROPERTY, "h2");
        return switch (selected) {
            case "h2" -> false;
            case "mariadb" -> true;
            default -> throw new IllegalStateException(DATABASE_PROPERTY + " must be h2 or mariadb, not " + selected);
        };
    }

    /**
     * Skips (or, in CI, fails) the calling test class when it is to run on MariaDB and there is
     * none; call it from {@code @BeforeAll}, before a Spring context is built on the database.
     */
    public static void assumeSelectedDatabase() {
        if (mariaDbSelected()) {
            requireMariaDbServer();
        }
    }

    /** A JDBC URL of a new, empty database of the selected kind ({@link #DATABASE_PROPERTY}). */
    public static String newSelectedDatabase() {
        return mariaDbSelected() ? newMariaDbDatabase() : newH2Database();
    }

    /**
     * Spring Boot arguments that put an application with this data directory on the selected
     * database: none on H2, where the application's default (a file database under its data
     * directory) is kept; on MariaDB a new database, the same one for every call with the same
     * data directory, so that a restarted application or a second replica finds the runs.
     */
    public static List<String> selectedDatabaseArguments(Path dataDir) {
        if (!mariaDbSelected()) {
            return List.of();
        }
        String url =
                MARIADB_BY_DATA_DIR.computeIfAbsent(dataDir.toAbsolutePath().normalize(), dir -> newMariaDbDatabase());
        return List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + MARIADB_USER,
                "--spring.datasource.password=" + MARIADB_PASSWORD);
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

    /**
     * Applies batchgate's Liquibase changelog, as the application does at start-up, to a new empty
     * database. On MariaDB, where a migration takes seconds, Liquibase migrates one template
     * database per JVM and every further database gets a copy of its tables (constraints and
     * Liquibase's own rows included), so a test that needs a fresh database gets it fast.
     */
    public static DataSource migrated(String url) {
        DataSource dataSource = dataSource(url);
        if (url.startsWith("jdbc:mysql:")) {
            copyTables(mariaDbTemplate(), url);
        } else {
            liquibase(dataSource, url);
        }
        return dataSource;
    }

    private static synchronized String mariaDbTemplate() {
        if (mariaDbTemplate == null) {
            String url = newMariaDbDatabase();
            liquibase(dataSource(url), url);
            try (Connection connection = DriverManager.getConnection(url, MARIADB_USER, MARIADB_PASSWORD)) {
                mariaDbTemplate = connection.getCatalog();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return mariaDbTemplate;
    }

    private static void copyTables(String template, String url) {
        try (Connection connection = DriverManager.getConnection(url, MARIADB_USER, MARIADB_PASSWORD);
                Statement statement = connection.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (var rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = '" + template + "' AND table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : tables) {
                String ddl;
                try (var row = statement.executeQuery("SHOW CREATE TABLE `" + template + "`.`" + table + "`")) {
                    row.next();
                    ddl = row.getString(2);
                }
                statement.execute(ddl); // references to other tables are unqualified: they land here
            }
            for (String table : tables) {
                statement.execute("INSERT INTO `" + table + "` SELECT * FROM `" + template + "`.`" + table + "`");
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the migrated template " + template + " to " + url, e);
        }
    }

    private static void liquibase(DataSource dataSource, String url) {
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(dataSource);
        liquibase.setChangeLog("classpath:db/changelog/batchgate-changelog.yaml");
        liquibase.setResourceLoader(new DefaultResourceLoader());
        try {
            liquibase.afterPropertiesSet();
        } catch (Exception e) {
            throw new IllegalStateException("migration failed on " + url, e);
        }
    }
}
