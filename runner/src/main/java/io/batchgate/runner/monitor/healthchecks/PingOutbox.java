package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.runner.ledger.SqlTime;
import io.batchgate.runner.run.RunId;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Pings waiting to be sent ({@code bg_monitor_ping}). A row is added in the transaction that
 * stores the run's transition and deleted once the monitor answered, so neither a crash nor a
 * monitor outage loses a heartbeat silently. Any replica may send a row: it claims it first.
 */
class PingOutbox {

    private static final int MAX_MESSAGE = 2000;

    private final JdbcClient jdbc;

    PingOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(
            RunId runId,
            @Nullable Integer attempt,
            Ping.Kind kind,
            @Nullable Integer exitCode,
            URI pingUrl,
            String message,
            Instant now) {
        jdbc.sql("INSERT INTO bg_monitor_ping (run_id, attempt, kind, exit_code, ping_url, message, created_at,"
                        + " available_at, tries) VALUES (:run, :attempt, :kind, :code, :url, :message, :now, :now, 0)")
                .param("run", runId.value())
                .param("attempt", attempt)
                .param("kind", kind.name())
                .param("code", exitCode)
                .param("url", pingUrl.toString())
                .param(
                        "message",
                        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…")
                .param("now", toSql(now))
                .update();
    }

    /**
     * Rows due now, oldest first, at most one per run: a run's pings go out in order, so a retried
     * start never arrives after the run's final ping.
     */
    List<Ping> due(Instant now, int limit) {
        return jdbc.sql("SELECT id, run_id, attempt, kind, exit_code, ping_url, message, created_at, tries"
                        + " FROM bg_monitor_ping p WHERE available_at <= :now AND NOT EXISTS"
                        + " (SELECT 1 FROM bg_monitor_ping q WHERE q.run_id = p.run_id AND q.id < p.id)"
                        + " ORDER BY id LIMIT " + limit)
                .param("now", toSql(now))
                .query((rs, n) -> new Ping(
                        rs.getLong("id"),
                        new RunId(rs.getString("run_id")),
                        (Integer) rs.getObject("attempt", Integer.class),
                        Ping.Kind.valueOf(rs.getString("kind")),
                        (Integer) rs.getObject("exit_code", Integer.class),
                        URI.create(rs.getString("ping_url")),
                        rs.getString("message"),
                        fromSql(rs.getObject("created_at", LocalDateTime.class)),
                        rs.getInt("tries")))
                .list();
    }

    /** Takes the row for one try until {@code leaseUntil}; false if another replica took it first. */
    boolean claim(Ping ping, Instant now, Instant leaseUntil) {
        return jdbc.sql("UPDATE bg_monitor_ping SET tries = tries + 1, available_at = :lease"
                                + " WHERE id = :id AND tries = :tries AND available_at <= :now")
                        .param("lease", toSql(leaseUntil))
                        .param("id", ping.id())
                        .param("tries", ping.tries())
                        .param("now", toSql(now))
                        .update()
                == 1;
    }

    void retryAt(Ping ping, Instant at) {
        jdbc.sql("UPDATE bg_monitor_ping SET available_at = :at WHERE id = :id")
                .param("at", toSql(at))
                .param("id", ping.id())
                .update();
    }

    /** Puts a claimed row back until {@code at} without spending a try (it was not sent). */
    void defer(Ping ping, Instant at) {
        jdbc.sql("UPDATE bg_monitor_ping SET available_at = :at, tries = :tries WHERE id = :id")
                .param("at", toSql(at))
                .param("tries", ping.tries())
                .param("id", ping.id())
                .update();
    }

    void remove(Ping ping) {
        jdbc.sql("DELETE FROM bg_monitor_ping WHERE id = :id")
                .param("id", ping.id())
                .update();
    }

    /** Drops rows created before {@code cutoff}; returns how many. */
    int removeOlderThan(Instant cutoff) {
        return jdbc.sql("DELETE FROM bg_monitor_ping WHERE created_at < :cutoff")
                .param("cutoff", toSql(cutoff))
                .update();
    }

    int size() {
        return jdbc.sql("SELECT COUNT(*) FROM bg_monitor_ping")
                .query(Integer.class)
                .single();
    }

    /** As the run ledger binds its instants (see {@link SqlTime}). */
    private static @Nullable String toSql(Instant instant) {
        return SqlTime.toSql(instant);
    }

    private static Instant fromSql(LocalDateTime value) {
        return value.toInstant(ZoneOffset.UTC);
    }
}
