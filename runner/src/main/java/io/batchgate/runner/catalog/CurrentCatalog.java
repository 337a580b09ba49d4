package io.batchgate.runner.catalog;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogException;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.CatalogProblem;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.NetDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in force, and the catalogs runs were accepted with.
 *
 * <p>Loaded at start-up: a catalog with errors stops the application with every error named,
 * rather than starting with jobs silently missing. Re-read by {@link #reload()} (periodically and
 * on request): a directory that loads without errors replaces the catalog whole; one with errors
 * is refused, the previous catalog stays in force and the errors are kept for the API and counted.
 *
 * <p>Each version in force is stored ({@link CatalogVersions}) before new runs can reference it,
 * so {@link #definition} finds the definition a run was accepted with on every replica, whatever
 * the directory says later.
 */
public class CurrentCatalog {

    private static final Logger log = LoggerFactory.getLogger(CurrentCatalog.class);
    /** Parsed older versions kept in memory; runs of older versions are few and a miss re-parses. */
    static final int PINNED_CACHE_SIZE = 16;

    private final Path directory;
    private final CatalogLoader loader;
    private final CatalogVersions versions;
    private final Clock clock;
    private final Counter failures;
    private final AtomicReference<Catalog> current = new AtomicReference<>();
    private final List<Consumer<Catalog>> swapListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Catalog> pinned = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Catalog> eldest) {
            return size() > PINNED_CACHE_SIZE;
        }
    });
    /**
     * Versions not in the store (runs accepted before versions were stored): looked up and warned
     * about once. Every version put in force is stored before a run can reference it, so a version
     * missing now stays missing.
     */
    private final Map<String, Boolean> missing = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > PINNED_CACHE_SIZE;
        }
    });

    private volatile @Nullable Refused refused;

    /** For tests without a database: versions are pinned in memory, no metrics. */
    public CurrentCatalog(Path directory, CatalogLoader loader) {
        this(directory, loader, new InMemoryCatalogVersions(), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    public CurrentCatalog(
            Path directory, CatalogLoader loader, CatalogVersions versions, Clock clock, MeterRegistry meters) {
        this.directory = directory;
        this.loader = loader;
        this.versions = versions;
        this.clock = clock;
        this.failures = Counter.builder("batchgate.catalog.reload.failures")
                .description("catalog reloads refused because the catalog has errors (the previous one stays)")
                .register(meters);
        CatalogLoader.Result result = loader.read(directory);
        if (!result.errors().isEmpty()) {
            throw new CatalogException(result.errors());
        }
        Catalog catalog = result.catalog().orElseThrow();
        logWarnings(catalog);
        versions.store(catalog.version(), clock.instant(), result.files());
        log.info(
                "catalog {} loaded from {}: {} jobs",
                catalog.version(),
                directory,
                catalog.jobs().size());
        current.set(catalog);
    }

    public Catalog get() {
        return current.get();
    }

    public Path directory() {
        return directory;
    }

    /** The errors of the last refused reload, while the directory still has them. */
    public Optional<Refused> refused() {
        return Optional.ofNullable(refused);
    }

    /** Called with the new catalog after each swap (on the reloading thread). */
    public void onSwap(Consumer<Catalog> listener) {
        swapListeners.add(listener);
    }

    /**
     * The definition of {@code job} in catalog version {@code version}: what a run accepted with
     * that version is launched, retried, timed out and judged by. A version this catalog has not
     * stored (a run accepted before versions were stored) falls back to the catalog in force.
     */
    public Optional<JobDefinition> definition(String job, String version) {
        Catalog now = current.get();
        if (now.version().equals(version)) {
            return now.job(job);
        }
        return pinnedCatalog(version).orElse(now).job(job);
    }

    /** The definition of net {@code net} in catalog version {@code version}, like {@link #definition}. */
    public Optional<NetDefinition> net(String net, String version) {
        Catalog now = current.get();
        if (now.version().equals(version)) {
            return now.net(net);
        }
        return pinnedCatalog(version).orElse(now).net(net);
    }

    private Optional<Catalog> pinnedCatalog(String version) {
        Catalog cached = pinned.get(version);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (missing.containsKey(version)) {
            return Optional.empty();
        }
        Optional<SortedMap<String, byte[]>> files = versions.files(version);
        if (files.isEmpty()) {
            missing.put(version, true);
            log.warn("catalog version {} is not stored; the catalog in force is used for its runs", version);
            return Optional.empty();
        }
        CatalogLoader.Result result = loader.parse(files.get(), version);
        if (result.catalog().isEmpty()) {
            // cannot happen for a version that loaded once, unless the loader became stricter
            log.error("stored catalog version {} no longer loads: {}", version, result.errors());
            return Optional.empty();
        }
        pinned.put(version, result.catalog().get());
        return result.catalog();
    }

    /**
     * Deletes stored versions first loaded before {@code loadedBefore} that no active run needs,
     * never the one in force here (a definition already cached stays usable: it is the same).
     */
    public int pruneVersions(Instant loadedBefore) {
        String inForce = current.get().version();
        int pruned = versions.prune(loadedBefore, inForce);
        if (pruned > 0) {
            log.info(
                    "deleted {} stored catalog versions loaded before {} that no active run uses",
                    pruned,
                    loadedBefore);
        }
        return pruned;
    }

    /** The catalog versions seen, newest first. */
    public List<CatalogVersions.StoredVersion> versions(int limit) {
        return versions.newest(limit);
    }

    /**
     * Re-reads the directory. Swaps the catalog when it loads without errors and its version
     * differs; otherwise keeps the one in force.
     */
    public synchronized Reload reload() {
        CatalogLoader.Result result = loader.read(directory);
        Catalog previous = current.get();
        if (!result.errors().isEmpty()) {
            String stamp = stamp(result.files(), result.errors());
            Refused before = refused;
            Refused now = new Refused(result.errors(), clock.instant(), previous.version(), stamp);
            if (before == null || !before.stamp().equals(stamp)) {
                // counted once per broken content, not once per periodic check of the same content
                failures.increment();
                log.error(
                        "catalog in {} refused, version {} stays in force:\n  {}",
                        directory,
                        previous.version(),
                        String.join(
                                "\n  ",
                                result.errors().stream().map(Object::toString).toList()));
                refused = now;
            }
            return new Reload.Refused(refused);
        }
        refused = null;
        Catalog loaded = result.catalog().orElseThrow();
        if (loaded.version().equals(previous.version())) {
            return new Reload.Unchanged(previous.version());
        }
        logWarnings(loaded);
        // stored before it is in force: no run can reference a version other replicas cannot read
        versions.store(loaded.version(), clock.instant(), result.files());
        pinned.put(previous.version(), previous);
        current.set(loaded);
        log.info(
                "catalog {} loaded from {} ({} jobs), replacing {}",
                loaded.version(),
                directory,
                loaded.jobs().size(),
                previous.version());
        for (Consumer<Catalog> listener : swapListeners) {
            try {
                listener.accept(loaded);
            } catch (RuntimeException e) {
                log.error("after the swap to catalog {}: a listener failed", loaded.version(), e);
            }
        }
        return new Reload.Swapped(loaded.version(), previous.version());
    }

    private static void logWarnings(Catalog catalog) {
        for (CatalogProblem warning : catalog.warnings()) {
            log.warn("catalog warning: {}", warning);
        }
    }

    private static String stamp(SortedMap<String, byte[]> files, List<CatalogProblem> errors) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            files.forEach((name, content) -> {
                sha256.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha256.update(content);
            });
            sha256.update(errors.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A refused reload: its errors (file:line: field: message), when, and the version kept. */
    public record Refused(List<CatalogProblem> errors, Instant at, String keptVersion, String stamp) {
        public Refused {
            errors = List.copyOf(new ArrayList<>(errors));
            Objects.requireNonNull(keptVersion, "keptVersion");
        }
    }

    /** What a reload did. */
    public sealed interface Reload {
        /** The version in force after the reload. */
        String version();

        record Swapped(String version, String previous) implements Reload {}

        record Unchanged(String version) implements Reload {}

        record Refused(CurrentCatalog.Refused refused) implements Reload {
            @Override
            public String version() {
                return refused.keptVersion();
            }
        }
    }
}
