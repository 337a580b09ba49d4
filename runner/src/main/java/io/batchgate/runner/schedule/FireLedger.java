package io.batchgate.runner.schedule;

import static io.batchgate.runner.ledger.SqlTime.fromSql;
import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.catalog.ScheduleSpec.StartTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The fire ledger ({@code bg_schedule_fire}, unique per schedule and nominal time) and the
 * schedules' shared state ({@code bg_schedule_state}). The insert is the election: the replica
 * whose insert of a nominal time succeeds fired it; any replica may later admit a fire that has no
 * run yet, because admission replays the run of the same idempotency key.
 */
public class FireLedger {

    private final JdbcClient jdbc;

    public FireLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A schedule's state shared by the replicas.
     *
     * @param changedAt when it was last paused or resumed; null if it never was
     * @param changedBy who last paused or resumed it; null if no one ever did
     */
    public record State(
            String schedule,
            Instant checkedUntil,
            boolean paused,
            @Nullable Instant changedAt,
            @Nullable String changedBy,
            @Nullable String catchUpNote) {}

    /**
     * {@code changed_by} of a schedule no one has paused or resumed (the column is NOT NULL since
     * schedule-fire-1): the replica that first saw it is no one's pause.
     */
    static final String NEVER_CHANGED = "";

    /** A row of the ledger. */
    public record FireRow(
            String schedule,
            Instant nominal,
            LocalDate nominalDate,
            String start,
            boolean catchUp,
            Instant firedAt,
            String firedBy,
            Instant graceUntil,
            @Nullable String runId,
            @Nullable Instant acceptedAt,
            @Nullable String refusal,
            @Nullable Instant missedAt) {}

    public Optional<State> state(String schedule) {
        return jdbc.sql("SELECT * FROM bg_schedule_state WHERE schedule_name = :s")
                .param("s", schedule)
                .query(FireLedger::state)
                .optional();
    }

    public List<State> states() {
        return jdbc.sql("SELECT * FROM bg_schedule_state")
                .query(FireLedger::state)
                .list();
    }

    /** The state of a schedule seen for the first time: its fires count from {@code now}. */
    public State firstSeen(String schedule, Instant now) {
        try {
            jdbc.sql("INSERT INTO bg_schedule_state (schedule_name, checked_until, paused, changed_at, changed_by)"
                            + " VALUES (:s, :now, FALSE, :now, :by)")
                    .param("s", schedule)
                    .param("now", toSql(now))
                    .param("by", NEVER_CHANGED)
                    .update();
        } catch (DuplicateKeyException another) {
            // another replica saw it first: its row stands
        }
        return state(schedule).orElseThrow();
    }

    /**
     * Moves {@code checked_until} from {@code from} to {@code to}, only if no other replica moved it
     * meanwhile; true for the replica that moved it (and so reports the catch-up).
     */
    public boolean advance(String schedule, Instant from, Instant to, @Nullable String catchUpNote) {
        return jdbc.sql("UPDATE bg_schedule_state SET checked_until = :to"
                                + (catchUpNote == null ? "" : ", catch_up_note = :note")
                                + " WHERE schedule_name = :s AND checked_until = :from")
                        .param("to", toSql(to))
                        .param("from", toSql(from))
                        .param("s", schedule)
                        .param("note", catchUpNote)
                        .update()
                == 1;
    }

    /**
     * Keeps the schedules no longer in the catalog checked up to {@code now}, so one that comes
     * back later starts afresh instead of catching up what fell due while it was gone (its pause
     * is kept). Returns how many rows moved.
     */
    public int advanceAllBut(java.util.Collection<String> scheduled, Instant now) {
        if (scheduled.isEmpty()) {
            return jdbc.sql("UPDATE bg_schedule_state SET checked_until = :now WHERE checked_until < :now")
                    .param("now", toSql(now))
                    .update();
        }
        return jdbc.sql("UPDATE bg_schedule_state SET checked_until = :now"
                        + " WHERE checked_until < :now AND schedule_name NOT IN (:names)")
                .param("now", toSql(now))
                .param("names", List.copyOf(scheduled))
                .update();
    }

    /**
     * Pauses or resumes; a resumed schedule counts its fires from {@code now} (what fell due while
     * paused is not caught up). False if it already was so.
     */
    public boolean setPaused(String schedule, boolean paused, Instant now, String by) {
        firstSeen(schedule, now);
        return jdbc.sql("UPDATE bg_schedule_state SET paused = :paused, changed_at = :now, changed_by = :by"
                                + (paused ? "" : ", checked_until = :now")
                                + " WHERE schedule_name = :s AND paused = :was")
                        .param("paused", paused)
                        .param("was", !paused)
                        .param("now", toSql(now))
                        .param("by", by)
                        .param("s", schedule)
                        .update()
                == 1;
    }

    /** Inserts the fire; false if a replica (this one included) inserted it before. */
    public boolean tryInsert(Fire fire, boolean catchUp, Instant now, String by, Instant graceUntil) {
        try {
            return jdbc.sql("INSERT INTO bg_schedule_fire (schedule_name, nominal_time, nominal_date, start_time,"
                                    + " catch_up, fired_at, fired_by, grace_until) VALUES (:s, :nominal, :date,"
                                    + " :start, :catchUp, :now, :by, :grace)")
                            .param("s", fire.schedule())
                            .param("nominal", toSql(fire.nominal()))
                            .param("date", fire.nominalDate().toString())
                            .param("start", fire.start().toString())
                            .param("catchUp", catchUp)
                            .param("now", toSql(now))
                            .param("by", by)
                            .param("grace", toSql(graceUntil))
                            .update()
                    == 1;
        } catch (DuplicateKeyException earlier) {
            return false;
        }
    }

    /** Fires without a run and without a refusal, oldest first: inserted, then not (yet) admitted. */
    public List<FireRow> unadmitted(int limit) {
        return jdbc.sql("SELECT * FROM bg_schedule_fire WHERE run_id IS NULL AND refusal IS NULL"
                        + " ORDER BY nominal_time LIMIT " + limit)
                .query(FireLedger::row)
                .list();
    }

    /** Records the fire's run; true for the first replica to record it. */
    public boolean admitted(String schedule, Instant nominal, String runId, Instant now) {
        return jdbc.sql("UPDATE bg_schedule_fire SET run_id = :run, accepted_at = :now"
                                + " WHERE schedule_name = :s AND nominal_time = :nominal AND run_id IS NULL")
                        .param("run", runId)
                        .param("now", toSql(now))
                        .param("s", schedule)
                        .param("nominal", toSql(nominal))
                        .update()
                == 1;
    }

    public void refused(String schedule, Instant nominal, String reason) {
        jdbc.sql("UPDATE bg_schedule_fire SET refusal = :reason"
                        + " WHERE schedule_name = :s AND nominal_time = :nominal AND run_id IS NULL")
                .param("reason", reason.length() <= 1000 ? reason : reason.substring(0, 999) + "…")
                .param("s", schedule)
                .param("nominal", toSql(nominal))
                .update();
    }

    /** Fires past their grace without a run in time, not yet reported. */
    public List<FireRow> overdue(Instant now, int limit) {
        return jdbc.sql("SELECT * FROM bg_schedule_fire WHERE missed_at IS NULL AND grace_until < :now"
                        + " AND (run_id IS NULL OR accepted_at > grace_until) ORDER BY nominal_time LIMIT " + limit)
                .param("now", toSql(now))
                .query(FireLedger::row)
                .list();
    }

    /** Claims the report of a missed fire; true for the one replica that reports it. */
    public boolean markMissed(String schedule, Instant nominal, Instant now) {
        return jdbc.sql("UPDATE bg_schedule_fire SET missed_at = :now"
                                + " WHERE schedule_name = :s AND nominal_time = :nominal AND missed_at IS NULL")
                        .param("now", toSql(now))
                        .param("s", schedule)
                        .param("nominal", toSql(nominal))
                        .update()
                == 1;
    }

    public Optional<FireRow> last(String schedule) {
        return jdbc.sql("SELECT * FROM bg_schedule_fire WHERE schedule_name = :s ORDER BY nominal_time DESC LIMIT 1")
                .param("s", schedule)
                .query(FireLedger::row)
                .optional();
    }

    public List<FireRow> fires(String schedule) {
        return jdbc.sql("SELECT * FROM bg_schedule_fire WHERE schedule_name = :s ORDER BY nominal_time")
                .param("s", schedule)
                .query(FireLedger::row)
                .list();
    }

    private static State state(ResultSet rs, int n) throws SQLException {
        boolean changed = !NEVER_CHANGED.equals(rs.getString("changed_by"));
        return new State(
                rs.getString("schedule_name"),
                time(rs, "checked_until"),
                rs.getBoolean("paused"),
                changed ? time(rs, "changed_at") : null,
                changed ? rs.getString("changed_by") : null,
                rs.getString("catch_up_note"));
    }

    private static FireRow row(ResultSet rs, int n) throws SQLException {
        return new FireRow(
                rs.getString("schedule_name"),
                time(rs, "nominal_time"),
                LocalDate.parse(rs.getString("nominal_date")),
                rs.getString("start_time"),
                rs.getBoolean("catch_up"),
                time(rs, "fired_at"),
                rs.getString("fired_by"),
                time(rs, "grace_until"),
                rs.getString("run_id"),
                time(rs, "accepted_at"),
                rs.getString("refusal"),
                time(rs, "missed_at"));
    }

    private static @Nullable Instant time(ResultSet rs, String column) throws SQLException {
        return fromSql(rs.getObject(column, LocalDateTime.class));
    }

    static StartTime start(FireRow row) {
        return StartTime.parse(row.start()).orElseThrow();
    }
}
