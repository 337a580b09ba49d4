package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A scheduler's execution key — for JP1, derived from AJSEXECID and the job name — names the
 * latest run of one execution of a scheduled job. Unlike an Idempotency-Key it may move: when an
 * operator re-runs a failed execution in JP1 the key is the same, and a new run must start.
 * Callers serialise on the job's lock row while they read and move a key.
 */
public class ExecutionKeys {

    private final JdbcClient jdbc;

    public ExecutionKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<RunId> latest(String caller, String job, String key) {
        return jdbc.sql("SELECT run_id FROM bg_execution_key WHERE requested_by = :caller AND job = :job"
                        + " AND exec_key = :key")
                .param("caller", caller)
                .param("job", job)
                .param("key", key)
                .query((rs, n) -> new RunId(rs.getString(1)))
                .optional();
    }

    /**
     * Points the key at a run, creating it if it is new. Callers hold the job's lock and have just
     * read the key with {@link #latest}: an UPDATE of a missing row would lock a gap on MariaDB.
     */
    public void point(String caller, String job, String key, RunId runId, boolean exists) {
        int moved = !exists
                ? 0
                : jdbc.sql("UPDATE bg_execution_key SET run_id = :run WHERE requested_by = :caller AND job = :job"
                                + " AND exec_key = :key")
                        .param("caller", caller)
                        .param("job", job)
                        .param("key", key)
                        .param("run", runId.value())
                        .update();
        if (moved == 0) {
            jdbc.sql("INSERT INTO bg_execution_key (requested_by, job, exec_key, run_id)"
                            + " VALUES (:caller, :job, :key, :run)")
                    .param("caller", caller)
                    .param("job", job)
                    .param("key", key)
                    .param("run", runId.value())
                    .update();
        }
    }
}
