package io.batchgate.bench;

import io.batchgate.runner.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MariaDB server's statement and commit counters ({@code SHOW GLOBAL STATUS}), read before and
 * after a phase: their difference divided by the phase's jobs is the database work per job. Counts
 * do not depend on the machine's load, unlike CPU. Global: they include the benchmark's own polling
 * of finished jobs (one COUNT every 100 ms) and these two readings.
 */
record ServerStatus(Map<String, Long> counters) {

    static final List<String> NAMES = List.of(
            "Questions", "Com_commit", "Com_select", "Com_insert", "Com_update", "Com_delete", "Com_set_option");

    static ServerStatus read() throws SQLException {
        String server = TestDatabases.mariaDbServerUrl().orElseThrow();
        try (Connection connection = DriverManager.getConnection(
                        server, TestDatabases.MARIADB_USER, TestDatabases.MARIADB_PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW GLOBAL STATUS")) {
            Map<String, Long> counters = new LinkedHashMap<>();
            while (rs.next()) {
                if (NAMES.contains(rs.getString(1))) {
                    counters.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                }
            }
            return new ServerStatus(counters);
        }
    }

    /**
     * Turns the server's general log on (into {@code file}) or off; {@code -Dbench.e2e.general-log=DIR}
     * logs every statement of each measured phase to {@code DIR/<phase>.log}, to read at small N.
     */
    static void generalLog(String file) throws SQLException {
        String server = TestDatabases.mariaDbServerUrl().orElseThrow();
        try (Connection connection = DriverManager.getConnection(
                        server, TestDatabases.MARIADB_USER, TestDatabases.MARIADB_PASSWORD);
                Statement statement = connection.createStatement()) {
            if (file == null) {
                statement.execute("SET GLOBAL general_log = 0");
            } else {
                statement.execute("SET GLOBAL general_log_file = '" + file.replace("'", "") + "'");
                statement.execute("SET GLOBAL general_log = 1");
            }
        }
    }

    /** Each counter's growth since {@code before}, per job. */
    Map<String, Double> perJob(ServerStatus before, int jobs) {
        Map<String, Double> perJob = new LinkedHashMap<>();
        for (String name : NAMES) {
            perJob.put(
                    name, (counters.getOrDefault(name, 0L) - before.counters.getOrDefault(name, 0L)) / (double) jobs);
        }
        return perJob;
    }
}
