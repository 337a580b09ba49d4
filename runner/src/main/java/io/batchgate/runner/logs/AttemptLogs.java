package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.SqlTime;
import io.batchgate.runner.run.RunId;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The log columns of {@code bg_attempt}: written here, beside the run's state machine (they change
 * nothing about the run and need no optimistic lock), read back with the run by the ledger.
 */
public class AttemptLogs {

    private final JdbcClient jdbc;

    public AttemptLogs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An attempt whose log still needs work. */
    public record Pending(
            RunId runId,
            int attempt,
            String job,
            String catalogVersion,
            @Nullable String taskHandle,
            @Nullable Instant finishedAt) {}

    /** Local attempts launched since {@code since} whose output is not yet all in CloudWatch. */
    public List<Pending> localToForward(Instant since, int limit) {
        return pending("a.runtime = 'local' AND a.started_at IS NOT NULL AND a.log_complete = FALSE", since, limit);
    }

    /** Attempts of another runtime that have a task but no stream recorded yet (nor a reason why not). */
    public List<Pending> withoutStream(String runtime, Instant since, int limit) {
        return jdbc.sql(select(
                        "a.runtime = :runtime AND a.task_handle IS NOT NULL AND a.log_group IS NULL"
                                + " AND a.log_warning IS NULL",
                        limit))
                .param("runtime", runtime)
                .param("since", toSql(since))
                .query((rs, n) -> pending(rs))
                .list();
    }

    /**
     * Ended attempts of another runtime whose stream is known and whose log can be whole (no
     * warning), not yet marked complete: what the final drain still has to prove.
     */
    public List<Pending> toDrain(String runtime, Instant since, int limit) {
        return jdbc.sql(select(
                        "a.runtime = :runtime AND a.finished_at IS NOT NULL AND a.log_group IS NOT NULL"
                                + " AND a.log_warning IS NULL AND a.log_complete = FALSE",
                        limit))
                .param("runtime", runtime)
                .param("since", toSql(since))
                .query((rs, n) -> pending(rs))
                .list();
    }

    private List<Pending> pending(String where, Instant since, int limit) {
        return jdbc.sql(select(where, limit))
                .param("since", toSql(since))
                .query((rs, n) -> pending(rs))
                .list();
    }

    private static String select(String where, int limit) {
        return "SELECT a.run_id, a.number, r.job, r.catalog_version, a.task_handle, a.finished_at FROM bg_attempt a"
                + " JOIN bg_run r ON r.id = a.run_id WHERE " + where + " AND a.launched_at >= :since"
                + " ORDER BY a.launched_at LIMIT " + limit;
    }

    private static Pending pending(java.sql.ResultSet rs) throws java.sql.SQLException {
        String handle = rs.getString("task_handle");
        return new Pending(
                new RunId(rs.getString("run_id")),
                rs.getInt("number"),
                rs.getString("job"),
                rs.getString("catalog_version"),
                handle == null ? null : handle.substring(handle.indexOf(':') + 1),
                fromSql(rs.getObject("finished_at", LocalDateTime.class)));
    }

    /** Records where the attempt's log is kept, and any reason it may be incomplete whatever we do. */
    public void located(RunId runId, int attempt, @Nullable LogLocation location, @Nullable String warning) {
        jdbc.sql("UPDATE bg_attempt SET log_group = :group, log_stream = :stream, log_warning = :warning"
                        + " WHERE run_id = :runId AND number = :number")
                .param("group", location == null ? null : location.group())
                .param("stream", location == null ? null : location.stream())
                .param("warning", warning == null ? null : truncate(warning))
                .param("runId", runId.value())
                .param("number", attempt)
                .update();
    }

    /** Records lines dropped on the way so far, and whether everything has arrived. */
    public void progress(RunId runId, int attempt, long droppedLines, boolean complete) {
        jdbc.sql("UPDATE bg_attempt SET log_dropped = :dropped, log_complete = :complete"
                        + " WHERE run_id = :runId AND number = :number")
                .param("dropped", droppedLines)
                .param("complete", complete)
                .param("runId", runId.value())
                .param("number", attempt)
                .update();
    }

    /** As the run ledger binds its instants (see {@link SqlTime}). */
    private static @Nullable String toSql(Instant instant) {
        return SqlTime.toSql(instant);
    }

    private static @Nullable Instant fromSql(@Nullable LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text.length() <= 255 ? text : text.substring(0, 254) + "…";
    }
}
