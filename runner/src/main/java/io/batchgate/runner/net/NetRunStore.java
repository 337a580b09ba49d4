package io.batchgate.runner.net;

import static io.batchgate.runner.ledger.SqlTime.fromSql;
import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.catalog.NetMember;
import io.batchgate.runner.run.RunSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores {@link NetRun}s in SQL (H2 and MySQL/MariaDB, the same statements). Updates are
 * conditional on the net run's version: of two replicas that move the same net run on at once,
 * one stores and the other gets {@link ConcurrentNetRunUpdateException} and tries again on what the
 * first stored. Callers own the transaction.
 */
public class NetRunStore {

    private static final TypeReference<LinkedHashMap<String, String>> PARAMS = new TypeReference<>() {};
    private static final String COLUMNS = "id, net, catalog_version, status, judgment, exit_code, reason, params_json,"
            + " requested_by, source, idempotency_key, generation, parent_id, parent_member, parent_generation,"
            + " created_at, ended_at, version";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public NetRunStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Throws {@link DuplicateKeyException} when the idempotency key or the parent member is taken. */
    public void insert(NetRun run) {
        NetRun.Parent parent = run.parent().orElse(null);
        jdbc.sql("INSERT INTO bg_net_run (" + COLUMNS + ") VALUES (:id, :net, :catalogVersion, :status, :judgment,"
                        + " :exitCode, :reason, :params, :requestedBy, :source, :key, :generation, :parentId,"
                        + " :parentMember, :parentGeneration, :createdAt, :endedAt, 0)")
                .param("id", run.id().value())
                .param("net", run.net())
                .param("catalogVersion", run.catalogVersion())
                .param("status", run.status().name())
                .param("judgment", run.judgment().map(Enum::name).orElse(null))
                .param("exitCode", run.exitCode().orElse(null))
                .param("reason", truncate(run.reason().orElse(null)))
                .param("params", json.writeValueAsString(run.params()))
                .param("requestedBy", run.requestedBy())
                .param("source", run.source().value())
                .param("key", run.idempotencyKey())
                .param("generation", run.generation())
                .param("parentId", parent == null ? null : parent.id().value())
                .param("parentMember", parent == null ? null : parent.member())
                .param("parentGeneration", parent == null ? null : parent.generation())
                .param("createdAt", toSql(run.createdAt()))
                .param("endedAt", toSql(run.endedAt().orElse(null)))
                .update();
        int position = 0;
        for (MemberRun member : run.members()) {
            java.util.Map<String, @Nullable Object> params = memberParams(run.id(), member);
            params.put("position", position++);
            jdbc.sql("INSERT INTO bg_net_member (net_run_id, member, position, kind, state, generation, run_id,"
                            + " exit_code, reason, started_at, ended_at) VALUES (:id, :member, :position, :kind, :state,"
                            + " :generation, :runId, :exitCode, :reason, :startedAt, :endedAt)")
                    .paramSource(params)
                    .update();
        }
        appendTimeline(run);
    }

    /** Stores the net run's changes if nobody else changed it since it was loaded. */
    public void update(NetRun run) {
        int updated = jdbc.sql("UPDATE bg_net_run SET status = :status, judgment = :judgment, exit_code = :exitCode,"
                        + " reason = :reason, generation = :generation, ended_at = :endedAt, version = version + 1"
                        + " WHERE id = :id AND version = :version")
                .param("status", run.status().name())
                .param("judgment", run.judgment().map(Enum::name).orElse(null))
                .param("exitCode", run.exitCode().orElse(null))
                .param("reason", truncate(run.reason().orElse(null)))
                .param("generation", run.generation())
                .param("endedAt", toSql(run.endedAt().orElse(null)))
                .param("id", run.id().value())
                .param("version", run.version())
                .update();
        if (updated != 1) {
            throw new ConcurrentNetRunUpdateException(run.id(), run.version());
        }
        for (MemberRun member : run.members()) {
            jdbc.sql("UPDATE bg_net_member SET state = :state, generation = :generation, run_id = :runId,"
                            + " exit_code = :exitCode, reason = :reason, started_at = :startedAt, ended_at = :endedAt"
                            + " WHERE net_run_id = :id AND member = :member")
                    .paramSource(memberParams(run.id(), member))
                    .update();
        }
        appendTimeline(run);
    }

    private void appendTimeline(NetRun run) {
        List<NetTimelineEntry> pending = run.takePending();
        int seq = run.timeline().size() - pending.size();
        for (NetTimelineEntry entry : pending) {
            jdbc.sql("INSERT INTO bg_net_event (net_run_id, seq, event_at, event_text) VALUES (:id, :seq, :at, :text)")
                    .param("id", run.id().value())
                    .param("seq", seq++)
                    .param("at", toSql(entry.at()))
                    .param("text", entry.text())
                    .update();
        }
    }

    private static java.util.Map<String, @Nullable Object> memberParams(NetRunId id, MemberRun member) {
        java.util.Map<String, @Nullable Object> params = new LinkedHashMap<>();
        params.put("id", id.value());
        params.put("member", member.name());
        params.put("kind", member.kind().name());
        params.put("state", member.state().name());
        params.put("generation", member.generation());
        params.put("runId", member.runId());
        params.put("exitCode", member.exitCode());
        params.put("reason", truncate(member.reason()));
        params.put("startedAt", toSql(member.startedAt()));
        params.put("endedAt", toSql(member.endedAt()));
        return params;
    }

    public Optional<NetRun> find(NetRunId id) {
        List<NetRun.Stored> found = jdbc.sql("SELECT " + COLUMNS + " FROM bg_net_run WHERE id = :id")
                .param("id", id.value())
                .query((rs, n) -> stored(rs))
                .list();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        NetRun.Stored head = found.get(0);
        List<MemberRun> members = jdbc.sql("SELECT member, kind, state, generation, run_id, exit_code, reason,"
                        + " started_at, ended_at FROM bg_net_member WHERE net_run_id = :id ORDER BY position")
                .param("id", id.value())
                .query((rs, n) -> new MemberRun(
                        rs.getString("member"),
                        NetMember.Kind.valueOf(rs.getString("kind")),
                        MemberState.valueOf(rs.getString("state")),
                        rs.getInt("generation"),
                        rs.getString("run_id"),
                        integer(rs, "exit_code"),
                        rs.getString("reason"),
                        time(rs, "started_at"),
                        time(rs, "ended_at")))
                .list();
        List<NetTimelineEntry> timeline = jdbc.sql(
                        "SELECT event_at, event_text FROM bg_net_event WHERE net_run_id = :id ORDER BY seq")
                .param("id", id.value())
                .query((rs, n) -> new NetTimelineEntry(time(rs, "event_at"), rs.getString("event_text")))
                .list();
        return Optional.of(NetRun.restore(new NetRun.Stored(
                head.id(),
                head.net(),
                head.catalogVersion(),
                head.params(),
                head.requestedBy(),
                head.source(),
                head.idempotencyKey(),
                head.parent(),
                head.createdAt(),
                head.status(),
                head.judgment(),
                head.exitCode(),
                head.reason(),
                head.generation(),
                head.endedAt(),
                members,
                timeline,
                head.version())));
    }

    public NetRun get(NetRunId id) {
        return find(id).orElseThrow(() -> new NetRunNotFoundException(id));
    }

    /** Net runs that ended at or after {@code since}, the earliest first (for long-polling waiters). */
    public List<NetRunId> endedSince(Instant since, int limit) {
        return jdbc.sql("SELECT id FROM bg_net_run WHERE ended_at >= :since ORDER BY ended_at LIMIT " + limit)
                .param("since", toSql(since))
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .list();
    }

    /** Those of these net runs that have ended. */
    public List<NetRunId> endedAmong(java.util.Collection<NetRunId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM bg_net_run WHERE id IN (:ids) AND status = 'ENDED'")
                .param("ids", ids.stream().map(NetRunId::value).toList())
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .list();
    }

    /** The net run an earlier start with the same caller, net and key created. */
    public Optional<NetRunId> findByIdempotencyKey(String requestedBy, String net, String key) {
        return jdbc.sql("SELECT id FROM bg_net_run WHERE requested_by = :by AND net = :net AND idempotency_key = :key")
                .param("by", requestedBy)
                .param("net", net)
                .param("key", key)
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .optional();
    }

    /** The nested net run a member started in a generation. */
    public Optional<NetRunId> findChild(NetRunId parent, String member, int generation) {
        return jdbc.sql("SELECT id FROM bg_net_run WHERE parent_id = :parent AND parent_member = :member"
                        + " AND parent_generation = :generation")
                .param("parent", parent.value())
                .param("member", member)
                .param("generation", generation)
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .optional();
    }

    /** Net runs not ENDED, oldest first: what the sweep moves on. */
    public List<NetRunId> active(int limit) {
        return jdbc
                .sql("SELECT id FROM bg_net_run WHERE status <> 'ENDED' ORDER BY id")
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .list()
                .stream()
                .limit(limit)
                .toList();
    }

    /** Active runs of a net, under {@link #lock}. */
    public List<NetRunId> active(String net) {
        return jdbc.sql("SELECT id FROM bg_net_run WHERE net = :net AND status <> 'ENDED' ORDER BY id")
                .param("net", net)
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .list();
    }

    /** Newest first, for the history listing. */
    public List<NetRunId> newest(@Nullable String net, int limit) {
        return jdbc.sql("SELECT id FROM bg_net_run" + (net == null ? "" : " WHERE net = :net")
                        + " ORDER BY id DESC LIMIT " + Math.max(0, limit))
                .param("net", net == null ? "" : net)
                .query((rs, n) -> new NetRunId(rs.getString(1)))
                .list();
    }

    /** Locks the net's row until the transaction ends (overlap forbid across replicas). */
    public void lock(String net) {
        if (lockRow(net)) {
            return;
        }
        try {
            jdbc.sql("INSERT INTO bg_net_lock (net) VALUES (:net)")
                    .param("net", net)
                    .update();
        } catch (DuplicateKeyException raced) {
            // created meanwhile by another transaction
        }
        if (!lockRow(net)) {
            throw new IllegalStateException("cannot lock net " + net);
        }
    }

    private boolean lockRow(String net) {
        return !jdbc.sql("SELECT net FROM bg_net_lock WHERE net = :net FOR UPDATE")
                .param("net", net)
                .query(String.class)
                .list()
                .isEmpty();
    }

    private NetRun.Stored stored(ResultSet rs) throws SQLException {
        String parentId = rs.getString("parent_id");
        NetRun.Parent parent = parentId == null
                ? null
                : new NetRun.Parent(
                        new NetRunId(parentId), rs.getString("parent_member"), rs.getInt("parent_generation"));
        String judgment = rs.getString("judgment");
        return new NetRun.Stored(
                new NetRunId(rs.getString("id")),
                rs.getString("net"),
                rs.getString("catalog_version"),
                json.readValue(rs.getString("params_json"), PARAMS),
                rs.getString("requested_by"),
                new RunSource(rs.getString("source")),
                rs.getString("idempotency_key"),
                parent,
                time(rs, "created_at"),
                NetRunStatus.valueOf(rs.getString("status")),
                judgment == null ? null : NetJudgment.valueOf(judgment),
                integer(rs, "exit_code"),
                rs.getString("reason"),
                rs.getInt("generation"),
                time(rs, "ended_at"),
                List.of(),
                List.of(),
                rs.getInt("version"));
    }

    private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant time(ResultSet rs, String column) throws SQLException {
        return fromSql(rs.getObject(column, LocalDateTime.class));
    }

    private static @Nullable String truncate(@Nullable String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
