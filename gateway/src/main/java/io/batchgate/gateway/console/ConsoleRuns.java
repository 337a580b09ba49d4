package io.batchgate.gateway.console;

import static io.batchgate.runner.ledger.SqlTime.fromSql;
import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.runner.run.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's read model: what its pages list, straight from the ledger's tables with only the
 * columns shown, every query an index range scan with a LIMIT (runs newest first by their
 * time-ordered ids, by job, status or caller; attempts by launch time), so pages stay fast at
 * 100,000 runs. Writes go through admission and the canceller, never through here.
 */
class ConsoleRuns {

    /**
     * The text filter reads parameters, which no index serves: it searches the newest this many runs
     * of the other filters (below the page's cursor), so its cost has a bound whatever the history.
     */
    static final int TEXT_WINDOW = 2_000;

    /**
     * The counts per status read at most this many runs of the filter, the newest: an index walk
     * finds the oldest of them, so counting costs the same at 100,000 runs as at 10,000.
     */
    static final int COUNT_WINDOW = 10_000;

    /** How far before a timeline window an attempt may have been launched and still be drawn. */
    static final Duration TIMELINE_LOOKBACK = Duration.ofHours(24);

    private static final String SUMMARY_COLUMNS =
            "id, job, status, exit_code, warning, requested_by, source, created_at, started_at, finished_at, reason";

    private final JdbcClient jdbc;
    private final int textWindow;

    ConsoleRuns(JdbcClient jdbc) {
        this(jdbc, TEXT_WINDOW);
    }

    ConsoleRuns(JdbcClient jdbc, int textWindow) {
        this.jdbc = jdbc;
        this.textWindow = textWindow;
    }

    /** One line of the runs list. */
    record RunRow(
            String id,
            String job,
            RunStatus status,
            @Nullable Integer exitCode,
            boolean warning,
            String requestedBy,
            String source,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            String reason) {

        public boolean active() {
            return !status.isFinal();
        }
    }

    record Page(List<RunRow> rows, Optional<String> nextBefore) {}

    /**
     * A page of runs newest first, filtered; {@code readable} limits it to the caller's jobs (empty
     * for every job).
     */
    Page page(RunFilter filter, Optional<List<String>> readable, Optional<String> before, int limit) {
        Where where = where(filter, readable, true, before);
        List<RunRow> rows = jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM bg_run" + where.sql() + " ORDER BY id DESC"
                        + " LIMIT " + (limit + 1))
                .params(where.params)
                .query(ConsoleRuns::row)
                .list();
        boolean more = rows.size() > limit;
        List<RunRow> shown = more ? rows.subList(0, limit) : rows;
        return new Page(
                List.copyOf(shown),
                more ? Optional.of(shown.get(shown.size() - 1).id()) : Optional.empty());
    }

    /**
     * How many runs of the filter (its status aside) are in each status, among its newest {@link
     * #COUNT_WINDOW} runs.
     */
    Map<RunStatus, Long> countsByStatus(RunFilter filter, Optional<List<String>> readable) {
        Where where = where(filter, readable, false, Optional.empty());
        floor(where, COUNT_WINDOW);
        Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
        jdbc.sql("SELECT status, COUNT(*) FROM bg_run" + where.sql() + " GROUP BY status")
                .params(where.params)
                .query(rs -> {
                    counts.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return counts;
    }

    /** The given runs, as list rows (for a row that refreshes itself, and for bulk confirmations). */
    List<RunRow> rows(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM bg_run WHERE id IN (:ids) ORDER BY id DESC")
                .param("ids", ids)
                .query(ConsoleRuns::row)
                .list();
    }

    /** A job's most recent runs, newest first. */
    List<RunRow> recent(String job, int limit) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM bg_run WHERE job = :job ORDER BY id DESC LIMIT " + limit)
                .param("job", job)
                .query(ConsoleRuns::row)
                .list();
    }

    /** One attempt as the timeline draws it. */
    record AttemptBar(
            String runId,
            String job,
            RunStatus runStatus,
            int number,
            String runtime,
            Instant launchedAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Integer exitCode,
            String outcome,
            String reason) {}

    record Attempts(List<AttemptBar> bars, boolean truncated) {}

    /**
     * The attempts that overlap the window (launched before its end, not finished before its start,
     * launched at most {@link #TIMELINE_LOOKBACK} before it), latest launch first, at most {@code limit}.
     */
    Attempts attempts(Instant from, Instant to, Optional<String> job, Optional<List<String>> readable, int limit) {
        Where where = new Where();
        where.and("a.launched_at >= :earliest", "earliest", toSql(from.minus(TIMELINE_LOOKBACK)));
        where.and("a.launched_at < :to", "to", toSql(to));
        where.and("(a.finished_at IS NULL OR a.finished_at >= :from)", "from", toSql(from));
        job.ifPresent(value -> where.and("r.job = :job", "job", value));
        readable.ifPresent(globs -> where.globs("r.job", globs));
        List<AttemptBar> bars = jdbc.sql("SELECT a.run_id, r.job, r.status, a.number, a.runtime, a.launched_at,"
                        + " a.started_at, a.finished_at, a.exit_code, a.outcome, a.reason FROM bg_attempt a"
                        + " JOIN bg_run r ON r.id = a.run_id" + where.sql() + " ORDER BY a.launched_at DESC LIMIT "
                        + (limit + 1))
                .params(where.params)
                .query((rs, n) -> new AttemptBar(
                        rs.getString(1),
                        rs.getString(2),
                        RunStatus.valueOf(rs.getString(3)),
                        rs.getInt(4),
                        rs.getString(5),
                        fromSql(rs.getObject(6, LocalDateTime.class)),
                        fromSql(rs.getObject(7, LocalDateTime.class)),
                        fromSql(rs.getObject(8, LocalDateTime.class)),
                        (Integer) rs.getObject(9, Integer.class),
                        rs.getString(10),
                        rs.getString(11)))
                .list();
        boolean truncated = bars.size() > limit;
        return new Attempts(List.copyOf(truncated ? bars.subList(0, limit) : bars), truncated);
    }

    private Where where(
            RunFilter filter, Optional<List<String>> readable, boolean withStatus, Optional<String> before) {
        Where where = new Where();
        before.ifPresent(value -> where.and("id < :before", "before", value));
        filter.job().ifPresent(value -> where.and("job = :job", "job", value));
        if (withStatus) {
            filter.status().ifPresent(value -> where.and("status = :status", "status", value.name()));
        }
        filter.caller().ifPresent(value -> where.and("requested_by = :caller", "caller", value));
        // ids are UUIDv7: their first 48 bits are the creation time, so a time range is an id range
        filter.from().ifPresent(value -> where.and("id >= :fromId", "fromId", idPrefix(value)));
        filter.to().ifPresent(value -> where.and("id < :toId", "toId", idPrefix(value)));
        readable.ifPresent(globs -> where.globs("job", globs));
        if (filter.text().isPresent()) {
            floor(where, textWindow);
            where.and(
                    "params_json LIKE :text ESCAPE '!'",
                    "text",
                    "%" + escape(filter.text().get()) + "%");
        }
        return where;
    }

    /**
     * Limits the clause to the newest {@code window} runs it matches: the oldest of them is found by
     * walking {@code window} ids of an index, newest first.
     */
    private void floor(Where where, int window) {
        List<String> floor = jdbc.sql(
                        "SELECT id FROM bg_run" + where.sql() + " ORDER BY id DESC LIMIT 1 OFFSET " + (window - 1))
                .params(where.params)
                .query(String.class)
                .list();
        if (!floor.isEmpty()) {
            where.and("id >= :floor" + window, "floor" + window, floor.get(0));
        }
    }

    /** The newest runs of all jobs (for the jobs list: each job's last run and success rate among them). */
    List<RunRow> newest(int limit) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM bg_run ORDER BY id DESC LIMIT " + limit)
                .query(ConsoleRuns::row)
                .list();
    }

    /** One line of the net runs list. */
    record NetRunRow(
            String id,
            String net,
            String status,
            @Nullable String judgment,
            @Nullable Integer exitCode,
            String requestedBy,
            String source,
            Instant createdAt,
            @Nullable Instant endedAt) {

        public boolean active() {
            return !"ENDED".equals(status);
        }
    }

    record NetRunPage(List<NetRunRow> rows, Optional<String> nextBefore) {}

    /**
     * A page of net runs newest first (ids are time-ordered), of one net or all, limited to the
     * nets {@code readable} names (empty for every net): one index range scan with a LIMIT.
     */
    NetRunPage netRuns(Optional<String> net, Optional<List<String>> readable, Optional<String> before, int limit) {
        Where where = new Where();
        net.ifPresent(name -> where.and("net = :net", "net", name));
        readable.ifPresent(globs -> where.globs("net", globs));
        before.ifPresent(id -> where.and("id < :before", "before", id));
        List<NetRunRow> rows = jdbc.sql("SELECT id, net, status, judgment, exit_code, requested_by, source, created_at,"
                        + " ended_at FROM bg_net_run" + where.sql() + " ORDER BY id DESC LIMIT " + (limit + 1))
                .params(where.params)
                .query((rs, n) -> new NetRunRow(
                        rs.getString("id"),
                        rs.getString("net"),
                        rs.getString("status"),
                        rs.getString("judgment"),
                        (Integer) rs.getObject("exit_code", Integer.class),
                        rs.getString("requested_by"),
                        rs.getString("source"),
                        fromSql(rs.getObject("created_at", LocalDateTime.class)),
                        fromSql(rs.getObject("ended_at", LocalDateTime.class))))
                .list();
        boolean more = rows.size() > limit;
        List<NetRunRow> shown = more ? rows.subList(0, limit) : rows;
        return new NetRunPage(
                List.copyOf(shown),
                more ? Optional.of(shown.get(shown.size() - 1).id()) : Optional.empty());
    }

    /** The smallest run id created at this instant (lower-case hex, as ids are stored). */
    static String idPrefix(Instant instant) {
        long millis = Math.max(0, instant.toEpochMilli());
        String hex = String.format("%012x", millis & 0xFFFFFFFFFFFFL);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-";
    }

    private static String escape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static RunRow row(ResultSet rs, int n) throws SQLException {
        return new RunRow(
                rs.getString("id"),
                rs.getString("job"),
                RunStatus.valueOf(rs.getString("status")),
                (Integer) rs.getObject("exit_code", Integer.class),
                rs.getBoolean("warning"),
                rs.getString("requested_by"),
                rs.getString("source"),
                fromSql(rs.getObject("created_at", LocalDateTime.class)),
                fromSql(rs.getObject("started_at", LocalDateTime.class)),
                fromSql(rs.getObject("finished_at", LocalDateTime.class)),
                rs.getString("reason"));
    }

    /** A WHERE clause built from optional conditions, with its named parameters. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, Object> params = new HashMap<>();

        void and(String condition, String name, @Nullable Object value) {
            conditions.add(condition);
            params.put(name, value);
        }

        void globs(String column, List<String> globs) {
            if (globs.isEmpty()) {
                conditions.add("1 = 0");
                return;
            }
            List<String> likes = new ArrayList<>();
            for (String glob : globs) {
                String name = "glob" + params.size();
                likes.add(column + " LIKE :" + name + " ESCAPE '!'");
                params.put(name, escape(glob).replace('*', '%'));
            }
            conditions.add("(" + String.join(" OR ", likes) + ")");
        }

        String sql() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }
}
