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

    /** The lock row of the deployment-wide cap. */
    public static final String GLOBAL = "*";

    private final JdbcClient jdbc;

    public JobSlots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the job's row until the caller's transaction ends (creating it on first use).
     *
     * <p>Why the counts that follow are current: the pool runs at READ COMMITTED (see {@code
     * ReadCommittedPools}), so every statement after this lock reads what the previous holder
     * committed before it released the lock. At InnoDB's REPEATABLE READ they would read the
     * snapshot of the transaction's first read, taken before the lock wait.
     *
     * <p>Rows normally exist already ({@link #createLockRows} at start-up). A first trigger of a job
     * added since then creates its row here: concurrent creators that lose the INSERT hold a shared
     * lock on the new row, and two of them then deadlock on their {@code FOR UPDATE}. InnoDB rolls
     * one back, and the application's transactions run such a loser again, which then finds the row.
     */
    public void lock(String job) {
        if (lockRow(job)) {
            return;
        }
        try {
            jdbc.sql("INSERT INTO bg_job_lock (job) VALUES (:job)")
                    .param("job", job)
                    .update();
        } catch (DuplicateKeyException raced) {
            // created by another transaction meanwhile; lock theirs
        }
        if (!lockRow(job)) {
            throw new IllegalStateException("cannot lock job " + job);
        }
    }

    private boolean lockRow(String job) {
        return !jdbc.sql("SELECT job FROM bg_job_lock WHERE job = :job FOR UPDATE")
                .param("job", job)
                .query(String.class)
                .list()
                .isEmpty();
    }

    /**
     * Creates the lock rows of these jobs (and of the global cap) that do not exist yet, each in a
     * statement of its own outside any transaction, so that no trigger later creates one under load.
     */
    public void createLockRows(Collection<String> jobs) {
        Set<String> existing = Set.copyOf(
                jdbc.sql("SELECT job FROM bg_job_lock").query(String.class).list());
        for (String job : jobs) {
            if (!existing.contains(job)) {
                try {
                    jdbc.sql("INSERT INTO bg_job_lock (job) VALUES (:job)")
                            .param("job", job)
                            .update();
                } catch (DuplicateKeyException raced) {
                    // another replica created it at the same time
                }
            }
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
                .param("statuses", RunStatus.HOLDING.stream().map(Enum::name).toList())
                .query(Integer.class)
                .single();
    }

    /** The oldest run of the job still waiting in QUEUED, if any. */
    public Optional<RunId> oldestQueued(String job) {
        return runs(job, Set.of(RunStatus.QUEUED)).stream().findFirst();
    }
}
