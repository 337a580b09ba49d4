package io.batchgate.runner.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.StopCause;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** The stored catalog versions over real SQL: first writer wins, nobody fails, content intact. */
abstract class CatalogVersionsContractTests {

    private static final int REPLICAS = 6;

    protected abstract String newDatabaseUrl();

    @TempDir
    Path dir;

    private DataSource dataSource;
    private final ExecutorService threads = Executors.newFixedThreadPool(REPLICAS);

    @BeforeEach
    void database() {
        dataSource = TestDatabases.migrated(newDatabaseUrl());
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
    }

    private CatalogVersions store() {
        return new JdbcCatalogVersions(JdbcClient.create(dataSource));
    }

    @Test
    void keepsTheFilesOfAVersionAsTheyWere() {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("a.yaml", "jobs:\n  a:\n    description: \"Grüße, 日本\"\n".getBytes(StandardCharsets.UTF_8));
        files.put("b.yml", "jobs: {}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(store().store("sha256:0123456789abcdef", Instant.parse("2026-12-03T10:00:00.123Z"), files))
                .isTrue();

        SortedMap<String, byte[]> read =
                store().files("sha256:0123456789abcdef").orElseThrow();
        assertThat(read.keySet()).containsExactly("a.yaml", "b.yml");
        assertThat(new String(read.get("a.yaml"), StandardCharsets.UTF_8)).contains("Grüße, 日本");
        assertThat(store().files("sha256:ffffffffffffffff")).isEmpty();
    }

    @Test
    void aSecondStoreOfAVersionKeepsTheFirst() {
        SortedMap<String, byte[]> first = new TreeMap<>();
        first.put("a.yaml", "first".getBytes(StandardCharsets.UTF_8));
        SortedMap<String, byte[]> second = new TreeMap<>();
        second.put("a.yaml", "second".getBytes(StandardCharsets.UTF_8));

        assertThat(store().store("v1", Instant.parse("2026-12-03T10:00:00Z"), first))
                .isTrue();
        assertThat(store().store("v1", Instant.parse("2026-12-03T11:00:00Z"), second))
                .isFalse();

        assertThat(new String(store().files("v1").orElseThrow().get("a.yaml"), StandardCharsets.UTF_8))
                .isEqualTo("first");
        assertThat(store().newest(10))
                .containsExactly(new CatalogVersions.StoredVersion("v1", Instant.parse("2026-12-03T10:00:00Z")));
    }

    @Test
    void listsNewestFirstAndCaps() {
        for (int i = 1; i <= 5; i++) {
            store().store("v" + i, Instant.parse("2026-12-03T10:00:00Z").plusSeconds(i), new TreeMap<>());
        }
        assertThat(store().newest(3))
                .extracting(CatalogVersions.StoredVersion::version)
                .containsExactly("v5", "v4", "v3");
    }

    /** Old versions go once no active run needs them; the one in force and newer ones stay. */
    @Test
    void pruningKeepsTheVersionInForceNewerOnesAndThoseOfActiveRuns() {
        Instant old = Instant.parse("2026-10-01T00:00:00Z");
        Instant cutoff = Instant.parse("2026-11-01T00:00:00Z");
        for (String version : List.of("active-run", "final-run", "unused", "in-force")) {
            store().store(version, old, new TreeMap<>());
        }
        store().store("new", cutoff.plusSeconds(1), new TreeMap<>());
        RunLedger ledger = new RunLedger(
                JdbcClient.create(dataSource), JsonMapper.builder().build());
        Random random = new Random();
        Run active = Run.accept(
                RunId.next(old.toEpochMilli(), random), "a", "active-run", Map.of(), Set.of(), "t", null, old);
        ledger.insert(active);
        Run finished = Run.accept(
                RunId.next(old.toEpochMilli(), random), "a", "final-run", Map.of(), Set.of(), "t", null, old);
        finished.cancel("by a test", StopCause.CANCEL, Timeouts.defaults(), old);
        ledger.insert(finished);

        assertThat(store().prune(cutoff, "in-force")).isEqualTo(2);
        assertThat(store().newest(10))
                .extracting(CatalogVersions.StoredVersion::version)
                .containsExactlyInAnyOrder("active-run", "in-force", "new");

        Run ended = ledger.get(active.id());
        ended.cancel("by a test", StopCause.CANCEL, Timeouts.defaults(), old);
        ledger.update(ended);
        assertThat(store().prune(cutoff, "in-force")).isEqualTo(1);
        assertThat(store().files("active-run")).isEmpty();
        assertThat(store().files("in-force")).isPresent();
    }

    /** A net run reads its net from its version while it runs: pruning waits for it to end. */
    @Test
    void pruningKeepsTheVersionsOfNetRunsThatHaveNotEnded() {
        Instant old = Instant.parse("2026-10-01T00:00:00Z");
        Instant cutoff = Instant.parse("2026-11-01T00:00:00Z");
        for (String version : List.of("running-net", "cancelling-net", "ended-net")) {
            store().store(version, old, new TreeMap<>());
        }
        JdbcClient jdbc = JdbcClient.create(dataSource);
        insertNetRun(jdbc, "running-net", "RUNNING", old);
        insertNetRun(jdbc, "cancelling-net", "CANCELLING", old);
        insertNetRun(jdbc, "ended-net", "ENDED", old);

        assertThat(store().prune(cutoff, "in-force")).isEqualTo(1);
        assertThat(store().newest(10))
                .extracting(CatalogVersions.StoredVersion::version)
                .containsExactlyInAnyOrder("running-net", "cancelling-net");

        jdbc.sql("UPDATE bg_net_run SET status = 'ENDED' WHERE catalog_version = 'running-net'")
                .update();
        assertThat(store().prune(cutoff, "in-force")).isEqualTo(1);
        assertThat(store().files("running-net")).isEmpty();
        assertThat(store().files("cancelling-net")).isPresent();
    }

    private static void insertNetRun(JdbcClient jdbc, String version, String status, Instant at) {
        jdbc.sql("INSERT INTO bg_net_run (id, net, catalog_version, status, params_json, requested_by, source,"
                        + " generation, created_at, version) VALUES (:id, 'n', :catalogVersion, :status, '{}', 't',"
                        + " 'api', 1, :at, 0)")
                .param("id", java.util.UUID.randomUUID().toString())
                .param("catalogVersion", version)
                .param("status", status)
                .param("at", java.time.LocalDateTime.ofInstant(at, ZoneOffset.UTC))
                .update();
    }

    /** Replicas starting together on one database all store the same version: one wins, none fails. */
    @Test
    void replicasStoringTheSameVersionAtOnceNeverFail() throws Exception {
        Files.writeString(dir.resolve("jobs.yaml"), "jobs:\n  a:\n    local:\n      command: [\"true\"]\n");
        CyclicBarrier start = new CyclicBarrier(REPLICAS);
        List<Future<CurrentCatalog>> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return new CurrentCatalog(
                        dir,
                        new CatalogLoader(),
                        store(),
                        Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC),
                        new SimpleMeterRegistry());
            }));
        }
        List<String> versions = new ArrayList<>();
        for (Future<CurrentCatalog> replica : replicas) {
            versions.add(replica.get(60, TimeUnit.SECONDS).get().version());
        }

        assertThat(versions).hasSize(REPLICAS).containsOnly(versions.get(0));
        assertThat(store().newest(10))
                .extracting(CatalogVersions.StoredVersion::version)
                .containsExactly(versions.get(0));
    }

    @Test
    void concurrentStoresOfOneVersionStoreItOnce() throws Exception {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("a.yaml", "x".getBytes(StandardCharsets.UTF_8));
        CyclicBarrier start = new CyclicBarrier(REPLICAS);
        List<Future<Boolean>> stores = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            stores.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return store().store("v1", Instant.parse("2026-12-03T10:00:00Z"), files);
            }));
        }
        int stored = 0;
        for (Future<Boolean> store : stores) {
            stored += store.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(stored).isEqualTo(1);
    }
}
