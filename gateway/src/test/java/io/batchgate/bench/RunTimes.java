package io.batchgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads a scheduler's own records of its jobs: how many reached a state since a moment, and each
 * one's submitted→finished time. Both schedulers store UTC wall-clock times of this JVM (it runs
 * with {@code -Duser.timezone=UTC}).
 */
final class RunTimes {

    private final DataSource dataSource;
    private final String countSql;
    private final String timesSql;

    /**
     * @param countSql counts finished jobs; one parameter: the earliest creation time
     * @param timesSql (created, finished) of the succeeded jobs; one parameter: the earliest creation time
     */
    RunTimes(DataSource dataSource, String countSql, String timesSql) {
        this.dataSource = dataSource;
        this.countSql = countSql;
        this.timesSql = timesSql;
    }

    static RunTimes batchgate(DataSource dataSource, String job) {
        String since = " FROM bg_run WHERE job = '" + job + "' AND created_at >= ?";
        return new RunTimes(
                dataSource,
                "SELECT COUNT(*)" + since
                        + " AND status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED')",
                "SELECT created_at, finished_at" + since + " AND status = 'SUCCEEDED'");
    }

    static RunTimes jobRunr(DataSource dataSource) {
        String since = " FROM jobrunr_jobs WHERE createdAt >= ?";
        return new RunTimes(
                dataSource,
                "SELECT COUNT(*)" + since + " AND state IN ('SUCCEEDED', 'FAILED', 'DELETED')",
                "SELECT createdAt, updatedAt" + since + " AND state = 'SUCCEEDED'");
    }

    int finishedSince(Instant since) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(countSql)) {
            count.setTimestamp(1, sql(since));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Polls until {@code n} jobs created since {@code since} are finished; returns when that was seen. */
    Instant awaitFinished(Instant since, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finishedSince(since) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + finishedSince(since) + " of " + n + " finished within " + timeout);
            }
            Thread.sleep(100);
        }
        return Instant.now();
    }

    /** Submitted→finished in milliseconds of every job that succeeded since {@code since}. */
    double[] latenciesMs(Instant since) throws SQLException {
        List<Double> latencies = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement times = connection.prepareStatement(timesSql)) {
            times.setTimestamp(1, sql(since));
            try (ResultSet rs = times.executeQuery()) {
                while (rs.next()) {
                    Instant created = instant(rs.getObject(1, LocalDateTime.class));
                    Instant finished = instant(rs.getObject(2, LocalDateTime.class));
                    latencies.add(Duration.between(created, finished).toNanos() / 1e6);
                }
            }
        }
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Timestamp sql(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC);
    }
}
