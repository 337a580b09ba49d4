package io.batchgate.runner.testing;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Catalogs for tests, written as YAML and loaded by the real loader. */
public final class TestCatalogs {

    private TestCatalogs() {}

    public static Catalog load(Path directory, String yaml) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("jobs.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CatalogLoader().load(directory);
    }
}
