package io.batchgate.runner.catalog;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The local twin of {@link JdbcCatalogVersions}: versions kept in this process only, for tests and
 * for a catalog used without a database (the versions seen since start-up stay pinned).
 */
public class InMemoryCatalogVersions implements CatalogVersions {

    private record Stored(Instant loadedAt, SortedMap<String, byte[]> files) {}

    private final Map<String, Stored> versions = new LinkedHashMap<>();

    @Override
    public synchronized boolean store(String version, Instant loadedAt, SortedMap<String, byte[]> files) {
        return versions.putIfAbsent(version, new Stored(loadedAt, new TreeMap<>(files))) == null;
    }

    @Override
    public synchronized Optional<SortedMap<String, byte[]>> files(String version) {
        return Optional.ofNullable(versions.get(version)).map(stored -> new TreeMap<>(stored.files()));
    }

    /** Knows no runs, so it keeps every version it saw (a process's lifetime of them). */
    @Override
    public int prune(Instant loadedBefore, String current) {
        return 0;
    }

    @Override
    public synchronized List<StoredVersion> newest(int limit) {
        return versions.entrySet().stream()
                .map(e -> new StoredVersion(e.getKey(), e.getValue().loadedAt()))
                .sorted(Comparator.comparing(StoredVersion::loadedAt).reversed().thenComparing(StoredVersion::version))
                .limit(limit)
                .toList();
    }
}
