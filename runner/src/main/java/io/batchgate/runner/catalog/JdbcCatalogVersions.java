package io.batchgate.runner.catalog;

import static io.batchgate.runner.ledger.SqlTime.fromSql;
import static io.batchgate.runner.ledger.SqlTime.toSql;

import io.batchgate.runner.run.RunStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Catalog versions in {@code bg_catalog_version}, the files as a JSON object of name to text. */
public class JdbcCatalogVersions implements CatalogVersions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    public JdbcCatalogVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean store(String version, Instant loadedAt, SortedMap<String, byte[]> files) {
        if (files(version).isPresent()) {
            return false;
        }
        Map<String, String> text = new LinkedHashMap<>();
        // a catalog that loaded is strict UTF-8 (the loader refuses anything else)
        files.forEach((name, content) -> text.put(name, new String(content, StandardCharsets.UTF_8)));
        try {
            jdbc.sql("INSERT INTO bg_catalog_version (version, loaded_at, files_json)"
                            + " VALUES (:version, :loadedAt, :files)")
                    .param("version", version)
                    .param("loadedAt", toSql(loadedAt))
                    .param("files", JSON.writeValueAsString(text))
                    .update();
            return true;
        } catch (DuplicateKeyException raced) {
            // another replica stored the same version meanwhile: same version, same files
            return false;
        }
    }

    @Override
    public Optional<SortedMap<String, byte[]>> files(String version) {
        return jdbc.sql("SELECT files_json FROM bg_catalog_version WHERE version = :version")
                .param("version", version)
                .query(String.class)
                .optional()
                .map(json -> {
                    Map<String, String> text = JSON.readValue(json, new TypeReference<Map<String, String>>() {});
                    SortedMap<String, byte[]> files = new TreeMap<>();
                    text.forEach((name, content) -> files.put(name, content.getBytes(StandardCharsets.UTF_8)));
                    return files;
                });
    }

    @Override
    public int prune(Instant loadedBefore, String current) {
        return jdbc.sql("DELETE FROM bg_catalog_version WHERE loaded_at < :cutoff AND version <> :current"
                        + " AND NOT EXISTS (SELECT 1 FROM bg_run r WHERE r.catalog_version = bg_catalog_version.version"
                        + " AND r.status IN (:active))"
                        // a net run reads its net's definition from its version until it has ended
                        + " AND NOT EXISTS (SELECT 1 FROM bg_net_run n WHERE n.catalog_version = bg_catalog_version.version"
                        + " AND n.status <> 'ENDED')")
                .param("cutoff", toSql(loadedBefore))
                .param("current", current)
                .param("active", RunStatus.ACTIVE.stream().map(Enum::name).toList())
                .update();
    }

    @Override
    public List<StoredVersion> newest(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return jdbc.sql("SELECT version, loaded_at FROM bg_catalog_version ORDER BY loaded_at DESC, version LIMIT "
                        + limit)
                .query((rs, n) -> new StoredVersion(
                        rs.getString("version"), fromSql(rs.getObject("loaded_at", LocalDateTime.class))))
                .list();
    }
}
