package io.batchgate.runner.slots;

import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counts a job's runs under a row lock, for overlap and concurrency limits that must hold across
 * every gateway and runner replica. Callers hold the transaction: {@link #lock} first, then count
 * and decide, then commit.
 */
public class JobSlots {

    /** Runs that hold a slot: a task is being launched, runs, or is being stopped. */
    public static final Set<RunStatus> HOLDING = Set.of(RunStatus.LAUNCHING, RunStatus.RUNNING, RunStatus.STOPPING);

    /** The lock row of the deployment-wide cap. */
    public static final String GLOBAL = "*";

    private final JdbcClient jdbc;

    public JobSlots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the job's row until the caller's transaction ends (creating it on first use). The row
     * is created before it is locked, after a plain read that takes no lock: a SELECT … FOR UPDATE
     * of a missing row locks the gap where it would go (MariaDB/MySQL at REPEATABLE READ), and two
     * first triggers of new jobs would then deadlock on their INSERTs.
     */
    public void lock(String job) {
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM bg_job_lock WHERE job = :job")
                        .param("job", job)
                        .query(Integer.class)
                        .single()
                > 0;
        if (!exists) {
            try {
                jdbc.sql("INSERT INTO bg_job_lock (job) VALUES (:job)")
                        .param("job", job)
                        .update();
            } catch (DuplicateKeyException raced) {
                // created by another replica meanwhile; lock theirs
            }
        }
        boolean locked = !jdbc.sql("SELECT job FROM bg_job_lock WHERE job = :job FOR UPDATE")
                .param("job", job)
                .query(String.class)
                .list()
                .isEmpty();
        if (!locked) {
            throw new IllegalStateException("cannot lock job " + job);
        }
    }

    /** The job's runs in the given states, oldest first. */
    public List<RunId> runs(String job, Collection<RunStatus> statuses) {
        return jdbc.sql("SELECT id FROM bg_run WHERE job = :job AND status IN (:statuses) ORDER BY id")
                .param("job", job)
                .param("statuses", statuses.stream().map(Enum::name).toList())
                .query((rs, n) -> new RunId(rs.getString(1)))
                .list();
    }

    /** How many runs of all jobs hold a slot. */
    public int holdingAll() {
        return jdbc.sql("SELECT COUNT(*) FROM bg_run WHERE status IN (:statuses)")
                .param("statuses", HOLDING.stream().map(Enum::name).toList())
                .query(Integer.class)
                .single();
    }

    /** The oldest run of the job still waiting in QUEUED, if any. */
    public Optional<RunId> oldestQueued(String job) {
        return runs(job, Set.of(RunStatus.QUEUED)).stream().findFirst();
    }
}
