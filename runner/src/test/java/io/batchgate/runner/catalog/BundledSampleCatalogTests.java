package io.batchgate.runner.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's catalog, extracted from the jar: its schedule finds its calendar. */
class BundledSampleCatalogTests {

    @TempDir
    Path dir;

    @Test
    void extractsTheJobsAndTheCalendarsTheirSchedulesName() {
        Path catalog = BundledSampleCatalog.extractTo(dir.resolve("sample-catalog"));

        assertThat(catalog.resolve("calendars/jp-business.yaml")).exists();
        Catalog loaded = new CatalogLoader().load(catalog);
        assertThat(loaded.jobs()).containsKeys("hello", "nightly-billing");
        assertThat(loaded.schedules().get("nightly-billing").calendar().name()).isEqualTo("jp-business");
        assertThat(Files.isRegularFile(catalog.resolve("nightly-billing.yaml"))).isTrue();
    }
}
