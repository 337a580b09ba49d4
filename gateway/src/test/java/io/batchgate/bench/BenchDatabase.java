package io.batchgate.bench;

import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a benchmark's application keeps its data: the embedded default's H2 file database, or a
 * fresh database on the throwaway MariaDB that {@code bench/run} starts (absent when {@code
 * mariadbd} is not installed: {@link #mariaDbAvailable()}).
 */
record BenchDatabase(String label, String url, String user, String password) {

    /** The embedded default's database: an H2 file under the data directory. */
    static BenchDatabase h2File(Path dataDir) {
        return new BenchDatabase(
                "h2", "jdbc:h2:file:" + dataDir.resolve("db/batchgate") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    static boolean mariaDbAvailable() {
        return TestDatabases.mariaDbServerUrl().isPresent();
    }

    /** A new, empty database on the benchmark's MariaDB server. */
    static BenchDatabase newMariaDb() {
        return new BenchDatabase(
                "mariadb",
                TestDatabases.newMariaDbDatabase(),
                TestDatabases.MARIADB_USER,
                TestDatabases.MARIADB_PASSWORD);
    }

    List<String> springArguments() {
        return List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password);
    }
}
