package io.batchgate.runner.ledger;

import static io.batchgate.runner.ledger.SqlTime.fromSql;
import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.AttemptLog;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.run.TimelineEntry;
import io.batchgate.runner.secrets.SecretSeal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run ledger: stores {@link Run} aggregates in SQL (H2 or MySQL/MariaDB, the same statements).
 * Updates are optimistic — a run changed by another replica since it was loaded is refused with
 * {@link ConcurrentRunUpdateException}, which is what makes a claim atomic across replicas.
 * Callers own the transaction.
 */
public class RunLedger {

    private static final TypeReference<LinkedHashMap<String, String>> PARAMS = new TypeReference<>() {};
    private static final String RUN_COLUMNS = "id, job, catalog_version, status, exit_code, warning, reason,"
            + " params_json, secret_params, requested_by, source, idempotency_key, created_at, started_at, finished_at,"
            + " next_attempt_at, deadline_at, version";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RunEventDispatcher events;
    private final SecretSeal seal;

    public RunLedger(JdbcClient jdbc, JsonMapper json) {
        this(jdbc, json, RunEventDispatcher.none());
    }

    /** @param events takes the events of every stored run, dispatched once the storing transaction commits */
    public RunLedger(JdbcClient jdbc, JsonMapper json, RunEventDispatcher events) {
        this(jdbc, json, events, SecretSeal.ephemeral());
    }

    /** @param seal seals secret param values before they are stored; opens them for a launch */
    public RunLedger(JdbcClient jdbc, JsonMapper json, RunEventDispatcher events, SecretSeal seal) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.seal = seal;
    }

    public void insert(Run run) {
        Map<String, String> stored = sealed(run);
        jdbc.sql(
                        "INSERT INTO bg_run (" + RUN_COLUMNS + ") VALUES"
                                + " (:id, :job, :catalogVersion, :status, :exitCode, :warning, :reason, :params, :secrets,"
                                + " :requestedBy, :source, :idempotencyKey, :createdAt, :startedAt, :finishedAt, :nextAttemptAt, :deadline, 0)")
                .param("id", run.id().value())
                .param("job", run.job())
                .param("catalogVersion", run.catalogVersion())
                .param("status", run.status().name())
                .param("exitCode", run.exitCode())
                .param("warning", run.warning())
                .param("reason", truncate(run.reason()))
                .param("params", json.writeValueAsString(stored))
                .param("secrets", String.join(",", run.secretParams()))
                .param("requestedBy", run.requestedBy())
                .param("source", run.source().value())
                .param("idempotencyKey", run.idempotencyKey())
                .param("createdAt", toSql(run.createdAt()))
                .param("startedAt", toSql(run.startedAt()))
                .param("finishedAt", toSql(run.finishedAt()))
                .param("nextAttemptAt", toSql(run.nextAttemptAt()))
                .param("deadline", toSql(run.deadline()))
                .update();
        if (!run.secretParams().isEmpty()) {
            Map<String, String> scrub = new LinkedHashMap<>();
            stored.forEach((name, value) -> {
                if (run.secretParams().contains(name) && SecretSeal.isSealed(value)) {
                    scrub.put(name, value);
                }
            });
            jdbc.sql("UPDATE bg_run SET secret_scrub = :scrub WHERE id = :id")
                    .param("scrub", json.writeValueAsString(scrub))
                    .param("id", run.id().value())
                    .update();
        }
        writeChildren(run);
    }

    /** What params_json holds: secret values sealed while the run is active, masked once it is final. */
    private Map<String, String> sealed(Run run) {
        return seal.sealAll(run.id().value(), run.storedParams(), run.secretParams());
    }

    /**
     * The run's params with its secret values opened: only for a launch. A run restored from storage
     * holds them sealed; a value that cannot be opened (altered, another run's, unknown key) throws.
     */
    public Map<String, String> launchParams(Run run) {
        return seal.openAll(run.id().value(), run.params());
    }

    /**
     * Adds values a launch gave the attempt's task (the local runtime's {@code secrets:}) to the
     * run's sealed scrub copy, so that its output is served and forwarded without them. Kept per
     * attempt: a value changed between attempts leaves both scrubbed. Not once the run is final.
     */
    public void addScrubValues(RunId id, int attempt, Map<String, String> values) {
        List<String> current = jdbc.sql("SELECT secret_scrub FROM bg_run WHERE id = :id AND finished_at IS NULL")
                .param("id", id.value())
                .query((rs, n) -> rs.getString(1) == null ? "{}" : rs.getString(1))
                .list();
        if (current.isEmpty()) {
            return;
        }
        Map<String, String> scrub = new LinkedHashMap<>(json.readValue(current.get(0), PARAMS));
        values.forEach((env, value) -> {
            String name = "secrets:" + env + "@" + attempt;
            scrub.put(name, seal.seal(id.value(), name, value));
        });
        jdbc.sql("UPDATE bg_run SET secret_scrub = :scrub WHERE id = :id AND finished_at IS NULL")
                .param("scrub", json.writeValueAsString(scrub))
                .param("id", id.value())
                .update();
    }

    /** The secret values the run was given, opened, for scrubbing its output; none once unknown. */
    public List<String> secretValues(RunId id) {
        List<String> scrub = jdbc.sql("SELECT secret_scrub FROM bg_run WHERE id = :id")
                .param("id", id.value())
                .query((rs, n) -> rs.getString(1))
                .list();
        if (scrub.isEmpty() || scrub.get(0) == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        json.readValue(scrub.get(0), PARAMS).forEach((name, value) -> values.add(seal.open(id.value(), name, value)));
        return values;
    }

    /** Final runs that ended before {@code before} and still keep a sealed copy of their secret values. */
    public List<RunId> finalRunsWithSecretScrub(java.time.Instant before, int limit) {
        return jdbc.sql("SELECT id FROM bg_run WHERE secret_scrub IS NOT NULL AND finished_at < :before"
                        + " ORDER BY finished_at LIMIT " + limit)
                .param("before", toSql(before))
                .query((rs, n) -> new RunId(rs.getString(1)))
                .list();
    }

    /** Drops the sealed copy of a final run's secret values: its output can no longer be scrubbed. */
    public void dropSecretScrub(RunId id) {
        jdbc.sql("UPDATE bg_run SET secret_scrub = NULL WHERE id = :id AND finished_at IS NOT NULL")
                .param("id", id.value())
                .update();
    }

    /** Stores the run's changes if nobody else changed it since it was loaded. */
    public void update(Run run) {
        // secret values are kept while the run may launch again (retries), and cleared when it ends
        boolean clearSecrets = run.status().isFinal() && !run.secretParams().isEmpty();
        int updated = jdbc.sql("UPDATE bg_run SET status = :status, exit_code = :exitCode, warning = :warning,"
                        + " reason = :reason, started_at = :startedAt, finished_at = :finishedAt, next_attempt_at = :nextAttemptAt, deadline_at = :deadline,"
                        + (clearSecrets ? " params_json = :params," : "")
                        + " version = version + 1 WHERE id = :id AND version = :version")
                .param("params", json.writeValueAsString(run.storedParams()))
                .param("status", run.status().name())
                .param("exitCode", run.exitCode())
                .param("warning", run.warning())
                .param("reason", truncate(run.reason()))
                .param("startedAt", toSql(run.startedAt()))
                .param("finishedAt", toSql(run.finishedAt()))
                .param("nextAttemptAt", toSql(run.nextAttemptAt()))
                .param("deadline", toSql(run.deadline()))
                .param("id", run.id().value())
                .param("version", run.version())
                .update();
        if (updated != 1) {
            throw new ConcurrentRunUpdateException(run.id(), run.version());
        }
        writeChildren(run);
        run.markUpdated();
    }

    /**
     * Records the Spring Batch execution of an attempt that this transaction has just claimed (the
     * claim's update already holds the run's row).
     */
    public void recordExecution(RunId runId, int attempt, long jobExecutionId) {
        jdbc.sql("UPDATE bg_attempt SET job_execution_id = :execution WHERE run_id = :runId AND number = :number")
                .param("execution", jobExecutionId)
                .param("runId", runId.value())
                .param("number", attempt)
                .update();
    }

    private void writeChildren(Run run) {
        // Only stored attempts are UPDATEd, new ones INSERTed: an UPDATE matching no row would lock
        // the gap where a new attempt goes (MariaDB/MySQL at REPEATABLE READ), and concurrent claims,
        // whose run ids fall in the same gap, would deadlock on their INSERTs. The run knows which
        // are stored (it was loaded, and is stored, under its version), so no read is needed.
        for (Attempt attempt : run.attempts()) {
            if (attempt.number() <= run.persistedAttempts()) {
                jdbc.sql(
                                "UPDATE bg_attempt SET task_handle = :handle, job_execution_id = :execution, launch_tries = :tries,"
                                        + " started_at = :startedAt, finished_at = :finishedAt, exit_code = :exitCode,"
                                        + " outcome = :outcome, reason = :reason, stop_cause = :stopCause, stop_requested_at = :stopRequestedAt WHERE run_id = :runId AND number = :number")
                        .paramSource(attemptParams(run.id(), attempt))
                        .update();
            } else {
                jdbc.sql("INSERT INTO bg_attempt (run_id, number, runtime, launch_tries, task_handle, job_execution_id,"
                                + " launched_at, started_at, finished_at, exit_code, outcome, reason, stop_cause, stop_requested_at)"
                                + " VALUES (:runId,"
                                + " :number, :runtime, :tries, :handle, :execution, :launchedAt, :startedAt, :finishedAt,"
                                + " :exitCode, :outcome, :reason, :stopCause, :stopRequestedAt)")
                        .paramSource(attemptParams(run.id(), attempt))
                        .update();
            }
        }
        List<TimelineEntry> pending = run.pendingTimeline();
        for (TimelineEntry entry : pending) {
            jdbc.sql("INSERT INTO bg_run_event (run_id, seq, at, from_status, to_status, reason)"
                            + " VALUES (:runId, :seq, :at, :from, :to, :reason)")
                    .param("runId", run.id().value())
                    .param("seq", entry.seq())
                    .param("at", toSql(entry.at()))
                    .param("from", entry.from() == null ? null : entry.from().name())
                    .param("to", entry.to().name())
                    .param("reason", truncate(entry.reason()))
                    .update();
        }
        run.markPersisted();
        events.dispatch(run.events());
        run.clearEvents();
    }

    private static Map<String, @Nullable Object> attemptParams(RunId runId, Attempt attempt) {
        Map<String, @Nullable Object> params = new HashMap<>();
        params.put("runId", runId.value());
        params.put("number", attempt.number());
        params.put("runtime", attempt.runtime());
        params.put("tries", attempt.launchTries());
        params.put("handle", attempt.handle() == null ? null : attempt.handle().toString());
        params.put("execution", attempt.jobExecutionId());
        params.put("launchedAt", toSql(attempt.launchedAt()));
        params.put("startedAt", toSql(attempt.startedAt()));
        params.put("finishedAt", toSql(attempt.finishedAt()));
        params.put("exitCode", attempt.exitCode());
        params.put("outcome", attempt.outcome().name());
        params.put("reason", truncate(attempt.reason()));
        params.put(
                "stopCause",
                attempt.stopCause() == null ? null : attempt.stopCause().name());
        params.put("stopRequestedAt", toSql(attempt.stopRequestedAt()));
        return params;
    }

    public Optional<Run> find(RunId id) {
        return load(jdbc.sql("SELECT " + RUN_COLUMNS + " FROM bg_run WHERE id = :id")
                        .param("id", id.value())
                        .query(this::runRow)
                        .list())
                .stream()
                .findFirst();
    }

    public Run get(RunId id) {
        return find(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    /** Active runs whose deadline has passed (timeouts to enforce), oldest deadline first. */
    public List<RunId> withDeadlineBefore(java.time.Instant now, int limit) {
        return jdbc.sql("SELECT id FROM bg_run WHERE deadline_at <= :now ORDER BY deadline_at LIMIT " + limit)
                .param("now", toSql(now))
                .query((rs, n) -> new RunId(rs.getString(1)))
                .list();
    }

    /**
     * Runs that reached a final state at or after {@code since}, oldest first: what waiters on
     * every replica need, with one indexed query per tick whatever the number of waiters.
     */
    public List<RunId> finishedSince(java.time.Instant since, int limit) {
        return jdbc.sql("SELECT id FROM bg_run WHERE finished_at >= :since ORDER BY finished_at LIMIT " + limit)
                .param("since", toSql(since))
                .query((rs, n) -> new RunId(rs.getString(1)))
                .list();
    }

    /** Those of these runs that reached a final state. */
    public List<RunId> finishedAmong(Collection<RunId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM bg_run WHERE id IN (:ids) AND finished_at IS NOT NULL")
                .param("ids", ids.stream().map(RunId::value).toList())
                .query((rs, n) -> new RunId(rs.getString(1)))
                .list();
    }

    /** The runs with these ids that exist, in no particular order. */
    public List<Run> findAll(Collection<RunId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return load(jdbc.sql("SELECT " + RUN_COLUMNS + " FROM bg_run WHERE id IN (:ids)")
                .param("ids", ids.stream().map(RunId::value).toList())
                .query(this::runRow)
                .list());
    }

    /**
     * Forgets the idempotency keys of up to {@code limit} runs created before {@code cutoff}, the
     * oldest ids first; returns how many. The candidates are found by a plain (non-locking) read and
     * cleared by primary key, so a sweep locks only the rows it changes, a small batch at a time.
     */
    public int expireIdempotencyKeys(java.time.Instant cutoff, int limit) {
        List<String> ids = jdbc.sql("SELECT id FROM bg_run WHERE idempotency_key IS NOT NULL AND created_at < :cutoff"
                        + " ORDER BY id LIMIT " + limit)
                .param("cutoff", toSql(cutoff))
                .query(String.class)
                .list();
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.sql("UPDATE bg_run SET idempotency_key = NULL WHERE id IN (:ids) AND created_at < :cutoff")
                .param("ids", ids)
                .param("cutoff", toSql(cutoff))
                .update();
    }

    /** Frees an expired key so that a new run can take it (the unique constraint still holds the old one). */
    public void forgetIdempotencyKey(RunId id) {
        jdbc.sql("UPDATE bg_run SET idempotency_key = NULL WHERE id = :id")
                .param("id", id.value())
                .update();
    }

    /** The run a caller created for a job with an idempotency key, if any. */
    public Optional<Run> findByIdempotencyKey(String requestedBy, String job, String key) {
        return load(jdbc.sql("SELECT " + RUN_COLUMNS + " FROM bg_run WHERE requested_by = :caller AND job = :job"
                                + " AND idempotency_key = :key")
                        .param("caller", requestedBy)
                        .param("job", job)
                        .param("key", key)
                        .query(this::runRow)
                        .list())
                .stream()
                .findFirst();
    }

    /** History newest first; ids are time-ordered, so the cursor is the last id of the previous page. */
    public RunPage page(RunQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM bg_run WHERE 1 = 1");
        Map<String, Object> params = new HashMap<>();
        query.job().ifPresent(job -> {
            sql.append(" AND job = :job");
            params.put("job", job);
        });
        if (!query.jobPatterns().isEmpty()) {
            List<String> likes = new ArrayList<>();
            for (int i = 0; i < query.jobPatterns().size(); i++) {
                likes.add("job LIKE :pattern" + i + " ESCAPE '!'");
                params.put("pattern" + i, like(query.jobPatterns().get(i)));
            }
            sql.append(" AND (").append(String.join(" OR ", likes)).append(")");
        }
        query.status().ifPresent(status -> {
            sql.append(" AND status = :status");
            params.put("status", status.name());
        });
        query.before().ifPresent(before -> {
            sql.append(" AND id < :before");
            params.put("before", before.value());
        });
        sql.append(" ORDER BY id DESC LIMIT ").append(query.limit() + 1);
        List<RunRow> rows =
                jdbc.sql(sql.toString()).params(params).query(this::runRow).list();
        boolean more = rows.size() > query.limit();
        List<Run> runs = load(more ? rows.subList(0, query.limit()) : rows);
        return new RunPage(runs, more ? Optional.of(runs.get(runs.size() - 1).id()) : Optional.empty());
    }

    /** A job-name glob ({@code *} for any characters) as a LIKE pattern escaped with '!'. */
    private static String like(String glob) {
        return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
    }

    /**
     * Runs in any of the given states, oldest first, after the given id (for recovery after a
     * restart, page by page).
     */
    public List<Run> findInStatus(Collection<RunStatus> statuses, Optional<RunId> after, int limit) {
        List<String> names = statuses.stream().map(Enum::name).toList();
        return load(jdbc.sql("SELECT " + RUN_COLUMNS + " FROM bg_run WHERE status IN (:statuses) AND id > :after"
                        + " ORDER BY id LIMIT " + limit)
                .param("statuses", names)
                .param("after", after.map(RunId::value).orElse(""))
                .query(this::runRow)
                .list());
    }

    private List<Run> load(List<RunRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(row -> row.id().value()).toList();
        Map<String, List<Attempt>> attempts = new HashMap<>();
        jdbc.sql("SELECT run_id, number, runtime, launch_tries, task_handle, job_execution_id, launched_at, started_at,"
                        + " finished_at, exit_code, outcome, reason, stop_cause, stop_requested_at, log_group, log_stream,"
                        + " log_complete, log_dropped, log_warning FROM bg_attempt"
                        + " WHERE run_id IN (:ids)"
                        + " ORDER BY run_id, number")
                .param("ids", ids)
                .query(rs -> {
                    attempts.computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>())
                            .add(attemptRow(rs));
                });
        Map<String, List<TimelineEntry>> timelines = new HashMap<>();
        jdbc.sql("SELECT run_id, seq, at, from_status, to_status, reason FROM bg_run_event WHERE run_id IN (:ids)"
                        + " ORDER BY run_id, seq")
                .param("ids", ids)
                .query(rs -> {
                    String from = rs.getString("from_status");
                    timelines
                            .computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>())
                            .add(new TimelineEntry(
                                    rs.getInt("seq"),
                                    fromSql(rs.getObject("at", LocalDateTime.class)),
                                    from == null ? null : RunStatus.valueOf(from),
                                    RunStatus.valueOf(rs.getString("to_status")),
                                    rs.getString("reason")));
                });
        return rows.stream()
                .map(row -> Run.restore(row.snapshot(
                        attempts.getOrDefault(row.id().value(), List.of()),
                        timelines.getOrDefault(row.id().value(), List.of()))))
                .toList();
    }

    private RunRow runRow(ResultSet rs, int rowNum) throws SQLException {
        String secrets = rs.getString("secret_params");
        return new RunRow(
                new RunId(rs.getString("id")),
                rs.getString("job"),
                rs.getString("catalog_version"),
                RunStatus.valueOf(rs.getString("status")),
                (Integer) rs.getObject("exit_code", Integer.class),
                rs.getBoolean("warning"),
                rs.getString("reason"),
                json.readValue(rs.getString("params_json"), PARAMS),
                secrets.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(secrets.split(","))),
                rs.getString("requested_by"),
                new RunSource(rs.getString("source")),
                rs.getString("idempotency_key"),
                fromSql(rs.getObject("created_at", LocalDateTime.class)),
                fromSql(rs.getObject("started_at", LocalDateTime.class)),
                fromSql(rs.getObject("finished_at", LocalDateTime.class)),
                fromSql(rs.getObject("next_attempt_at", LocalDateTime.class)),
                fromSql(rs.getObject("deadline_at", LocalDateTime.class)),
                rs.getInt("version"));
    }

    private static Attempt attemptRow(ResultSet rs) throws SQLException {
        String handle = rs.getString("task_handle");
        return new Attempt(
                rs.getInt("number"),
                rs.getString("runtime"),
                fromSql(rs.getObject("launched_at", LocalDateTime.class)),
                rs.getInt("launch_tries"),
                handle == null ? null : parseHandle(handle),
                (Long) rs.getObject("job_execution_id", Long.class),
                fromSql(rs.getObject("started_at", LocalDateTime.class)),
                fromSql(rs.getObject("finished_at", LocalDateTime.class)),
                (Integer) rs.getObject("exit_code", Integer.class),
                AttemptOutcome.valueOf(rs.getString("outcome")),
                rs.getString("reason"),
                rs.getString("stop_cause") == null ? null : StopCause.valueOf(rs.getString("stop_cause")),
                fromSql(rs.getObject("stop_requested_at", LocalDateTime.class)),
                new AttemptLog(
                        rs.getString("log_group"),
                        rs.getString("log_stream"),
                        rs.getBoolean("log_complete"),
                        rs.getLong("log_dropped"),
                        rs.getString("log_warning")));
    }

    private static TaskHandle parseHandle(String stored) {
        int colon = stored.indexOf(':');
        return new TaskHandle(stored.substring(0, colon), stored.substring(colon + 1));
    }

    private static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 999) + "…";
    }

    private record RunRow(
            RunId id,
            String job,
            String catalogVersion,
            RunStatus status,
            @Nullable Integer exitCode,
            boolean warning,
            String reason,
            Map<String, String> params,
            Set<String> secrets,
            String requestedBy,
            RunSource source,
            @Nullable String idempotencyKey,
            java.time.Instant createdAt,
            java.time.@Nullable Instant startedAt,
            java.time.@Nullable Instant finishedAt,
            java.time.@Nullable Instant nextAttemptAt,
            java.time.@Nullable Instant deadline,
            int version) {

        Run.Snapshot snapshot(List<Attempt> attempts, List<TimelineEntry> timeline) {
            return new Run.Snapshot(
                    id,
                    job,
                    catalogVersion,
                    params,
                    secrets,
                    requestedBy,
                    source,
                    idempotencyKey,
                    createdAt,
                    status,
                    exitCode,
                    warning,
                    reason,
                    startedAt,
                    finishedAt,
                    nextAttemptAt,
                    deadline,
                    attempts,
                    timeline,
                    version);
        }
    }
}
