package io.batchgate.runner.ledger;

import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.runner.run.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Cancel-on-abandon leases. A caller that waits for a run (jobctl {@code --wait}) may ask for its
 * run to be cancelled when nobody has polled it for a while: a scheduler that kills jobctl with
 * SIGKILL runs no trap, so the lease is the only way the task learns it was abandoned. Every poll
 * — and every tick while a waiter is parked — renews the lease.
 */
public class WaiterLeases {

    private static final int BATCH = 500;

    private final JdbcClient jdbc;

    public WaiterLeases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens the lease of a new run; call in the trigger's transaction. */
    public void open(RunId runId, Duration abandonAfter, Instant now) {
        jdbc.sql("INSERT INTO bg_waiter_lease (run_id, abandon_after_ms, seen_at) VALUES (:id, :after, :now)")
                .param("id", runId.value())
                .param("after", abandonAfter.toMillis())
                .param("now", toSql(now))
                .update();
    }

    /** Renews the leases of these runs, if they have one. */
    public void renew(Collection<RunId> runIds, Instant now) {
        List<String> ids = runIds.stream().map(RunId::value).toList();
        for (int from = 0; from < ids.size(); from += BATCH) {
            jdbc.sql("UPDATE bg_waiter_lease SET seen_at = :now WHERE run_id IN (:ids)")
                    .param("now", toSql(now))
                    .param("ids", ids.subList(from, Math.min(ids.size(), from + BATCH)))
                    .update();
        }
    }

    /**
     * Unfinished runs whose lease ran out. The comparison is done here, not in SQL, because the
     * lease length differs per run and date arithmetic differs between H2 and MySQL; only leases
     * of unfinished runs are read.
     */
    public List<RunId> expired(Instant now, int limit) {
        return jdbc
                .sql("SELECT l.run_id, l.abandon_after_ms, l.seen_at FROM bg_waiter_lease l"
                        + " JOIN bg_run r ON r.id = l.run_id WHERE r.finished_at IS NULL ORDER BY l.seen_at")
                .query((rs, n) -> {
                    Instant seen = SqlTime.fromSql(rs.getObject("seen_at", java.time.LocalDateTime.class));
                    boolean expired =
                            seen.plusMillis(rs.getLong("abandon_after_ms")).isBefore(now);
                    return expired ? new RunId(rs.getString("run_id")) : null;
                })
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .limit(limit)
                .toList();
    }

    /** Drops the leases of finished runs: nobody needs to keep them alive any more. */
    public int forgetFinished() {
        return jdbc.sql("DELETE FROM bg_waiter_lease WHERE run_id IN"
                        + " (SELECT id FROM bg_run WHERE finished_at IS NOT NULL)")
                .update();
    }
}
