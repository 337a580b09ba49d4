package io.batchgate.runner.catalog;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.CatalogProblem;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in force. Loaded at start-up: a catalog with errors stops the application with every
 * error named, rather than starting with jobs silently missing.
 */
public class CurrentCatalog {

    private static final Logger log = LoggerFactory.getLogger(CurrentCatalog.class);

    private final Path directory;
    private final AtomicReference<Catalog> current = new AtomicReference<>();

    public CurrentCatalog(Path directory, CatalogLoader loader) {
        this.directory = directory;
        Catalog catalog = loader.load(directory);
        for (CatalogProblem warning : catalog.warnings()) {
            log.warn("catalog warning: {}", warning);
        }
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
}
