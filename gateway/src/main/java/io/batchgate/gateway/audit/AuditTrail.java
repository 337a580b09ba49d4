package io.batchgate.gateway.audit;

import io.batchgate.runner.ledger.SqlTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit trail in the application's database: appended to, paged newest first by id. */
public class AuditTrail {

    private final JdbcClient jdbc;

    public AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void append(AuditRecord record) {
        jdbc.sql("INSERT INTO bg_audit (at, caller, source, action, target, job, run_id, http_status, outcome,"
                        + " params_sha256, run_source) VALUES (:at, :caller, :source, :action, :target, :job, :runId,"
                        + " :status, :outcome, :params, :runSource)")
                .param("at", SqlTime.toSql(record.at()))
                .param("caller", clip(record.caller(), 100))
                .param("source", clip(record.source(), 64))
                .param("action", record.action())
                .param("target", clip(record.target(), 300))
                .param("job", clip(record.job(), 63))
                .param("runId", record.runId())
                .param("status", record.httpStatus())
                .param("outcome", clip(record.outcome(), 64))
                .param("params", record.paramsSha256())
                .param("runSource", record.runSource())
                .update();
    }

    /** A page of the trail, newest first, optionally filtered; {@code before} is the last id of the previous page. */
    public List<AuditRecord> page(
            Optional<String> caller, Optional<String> job, Optional<String> runId, Optional<Long> before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, at, caller, source, action, target, job, run_id, http_status,"
                + " outcome, params_sha256, run_source FROM bg_audit WHERE 1 = 1");
        Map<String, Object> params = new HashMap<>();
        caller.ifPresent(value -> {
            sql.append(" AND caller = :caller");
            params.put("caller", value);
        });
        job.ifPresent(value -> {
            sql.append(" AND job = :job");
            params.put("job", value);
        });
        runId.ifPresent(value -> {
            sql.append(" AND run_id = :runId");
            params.put("runId", value);
        });
        before.ifPresent(value -> {
            sql.append(" AND id < :before");
            params.put("before", value);
        });
        sql.append(" ORDER BY id DESC LIMIT ").append(limit);
        return new ArrayList<>(
                jdbc.sql(sql.toString()).params(params).query(AuditTrail::row).list());
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM bg_audit").query(Long.class).single();
    }

    private static AuditRecord row(ResultSet rs, int n) throws SQLException {
        return new AuditRecord(
                rs.getLong("id"),
                rs.getObject("at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                rs.getString("caller"),
                rs.getString("source"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("job"),
                rs.getString("run_id"),
                rs.getInt("http_status"),
                rs.getString("outcome"),
                rs.getString("params_sha256"),
                rs.getString("run_source"));
    }

    private static @Nullable String clip(@Nullable String text, int max) {
        if (text == null) {
            return null;
        }
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() <= max ? cleaned : cleaned.substring(0, max - 1) + "…";
    }
}
