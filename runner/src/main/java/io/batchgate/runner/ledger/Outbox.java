package io.batchgate.runner.ledger;

import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.runner.run.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs accepted but not yet claimed. A row is written in the trigger's transaction and deleted in
 * the claim's, so "accepted" means "will run" whatever happens to the queue in between: the relay
 * sends due rows and sends them again if no runner claimed the run in time.
 */
public class Outbox {

    private final JdbcClient jdbc;

    public Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void add(RunId runId, Instant now) {
        add(runId, now, now);
    }

    /**
     * Adds the row of a run this transaction has just inserted: it cannot have one yet, so there is
     * nothing to look up first (one statement instead of two per accepted run).
     */
    public void addNew(RunId runId, Instant now) {
        jdbc.sql("INSERT INTO bg_outbox (run_id, created_at, available_at, send_count) VALUES (:id, :now, :at, 0)")
                .param("id", runId.value())
                .param("now", toSql(now))
                .param("at", toSql(now))
                .update();
    }

    /**
     * Adds (or moves) a run's row, to be sent from {@code availableAt} on. It looks first with a
     * plain read, which takes no lock: an UPDATE matching no row would lock the gap where a new run
     * id goes (on MariaDB/MySQL at REPEATABLE READ), and concurrent triggers, whose ids all fall in
     * the same gap, would then deadlock on their INSERTs.
     */
    public void add(RunId runId, Instant now, Instant availableAt) {
        boolean present = jdbc.sql("SELECT COUNT(*) FROM bg_outbox WHERE run_id = :id")
                        .param("id", runId.value())
                        .query(Integer.class)
                        .single()
                > 0;
        if (present) {
            jdbc.sql("UPDATE bg_outbox SET available_at = :at, sent_at = NULL WHERE run_id = :id")
                    .param("id", runId.value())
                    .param("at", toSql(availableAt))
                    .update();
        } else {
            jdbc.sql("INSERT INTO bg_outbox (run_id, created_at, available_at, send_count) VALUES (:id, :now, :at, 0)")
                    .param("id", runId.value())
                    .param("now", toSql(now))
                    .param("at", toSql(availableAt))
                    .update();
        }
    }

    public void remove(RunId runId) {
        jdbc.sql("DELETE FROM bg_outbox WHERE run_id = :id")
                .param("id", runId.value())
                .update();
    }

    /**
     * Rows available now that were never sent, or sent longer than {@code resendAfter} ago and are
     * still unclaimed; oldest first.
     */
    public List<RunId> due(Instant now, Duration resendAfter, int limit) {
        return jdbc.sql("SELECT run_id FROM bg_outbox WHERE available_at <= :now AND (sent_at IS NULL OR sent_at <"
                        + " :cutoff) ORDER BY available_at, run_id LIMIT " + limit)
                .param("now", toSql(now))
                .param("cutoff", toSql(now.minus(resendAfter)))
                .query((rs, n) -> new RunId(rs.getString(1)))
                .list();
    }

    public void markSent(List<RunId> runIds, Instant now) {
        markSent(runIds, now, now);
    }

    /**
     * Marks rows read as due at {@code readAt} as sent at {@code sentAt}. A row moved by {@link
     * #add} after the read (a retry rescheduled while its previous message was in flight) has a
     * later {@code available_at} and stays unsent: marking it would hold the retry back until the
     * resend interval.
     */
    public void markSent(List<RunId> runIds, Instant sentAt, Instant readAt) {
        if (runIds.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE bg_outbox SET sent_at = :now, send_count = send_count + 1"
                        + " WHERE run_id IN (:ids) AND available_at <= :readAt")
                .param("now", toSql(sentAt))
                .param("readAt", toSql(readAt))
                .param("ids", runIds.stream().map(RunId::value).toList())
                .update();
    }

    /** Forgets when rows were sent, so the relay sends them all again (the queue lost its messages). */
    public int markAllUnsent() {
        return jdbc.sql("UPDATE bg_outbox SET sent_at = NULL WHERE sent_at IS NOT NULL")
                .update();
    }

    /**
     * Puts back the row of every QUEUED or RETRY_WAIT run that has none — a safety net for
     * "accepted means it will run": such a run has no other way to be launched. Returns how many.
     */
    public int restoreMissing(Instant now) {
        return jdbc.sql("INSERT INTO bg_outbox (run_id, created_at, available_at, send_count)"
                        + " SELECT r.id, :now, COALESCE(r.next_attempt_at, r.created_at), 0 FROM bg_run r"
                        + " WHERE r.status IN ('QUEUED', 'RETRY_WAIT')"
                        + " AND NOT EXISTS (SELECT 1 FROM bg_outbox o WHERE o.run_id = r.id)")
                .param("now", toSql(now))
                .update();
    }

    public int size() {
        return jdbc.sql("SELECT COUNT(*) FROM bg_outbox").query(Integer.class).single();
    }
}
