package io.batchgate.runner.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogException;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.JobDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrentCatalogTests {

    private static final String V1 = """
            jobs:
              billing:
                local:
                  command: ["sh", "-c", "exit 3"]
                retry:
                  maxAttempts: 2
                  rules:
                    - exitCodes: [3]
                      action: RETRY
              gone:
                local:
                  command: ["true"]
            """;
    private static final String V2 = """
            jobs:
              billing:
                local:
                  command: ["sh", "-c", "exit 0"]
            """;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryCatalogVersions versions = new InMemoryCatalogVersions();

    private CurrentCatalog catalog() {
        return new CurrentCatalog(dir, new CatalogLoader(), versions, Clock.systemUTC(), meters);
    }

    private void write(String yaml) throws IOException {
        Files.writeString(dir.resolve("jobs.yaml"), yaml);
    }

    private double failures() {
        return meters.get("batchgate.catalog.reload.failures").counter().count();
    }

    @Test
    void aChangedDirectoryReplacesTheCatalogWholeAndOlderVersionsStayReadable() throws IOException {
        write(V1);
        CurrentCatalog catalog = catalog();
        String v1 = catalog.get().version();
        List<Catalog> swapped = new ArrayList<>();
        catalog.onSwap(swapped::add);

        assertThat(catalog.reload()).isInstanceOf(CurrentCatalog.Reload.Unchanged.class);
        write(V2);
        CurrentCatalog.Reload reload = catalog.reload();

        assertThat(reload).isInstanceOf(CurrentCatalog.Reload.Swapped.class);
        String v2 = catalog.get().version();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(swapped).extracting(Catalog::version).containsExactly(v2);
        assertThat(catalog.get().job("gone")).isEmpty();
        // a run accepted with v1 keeps v1's definition: its retry rule, and a job v2 removed
        assertThat(catalog.definition("billing", v1)
                        .map(JobDefinition::retry)
                        .orElseThrow()
                        .maxAttempts())
                .isEqualTo(2);
        assertThat(catalog.definition("billing", v2)
                        .map(JobDefinition::retry)
                        .orElseThrow()
                        .maxAttempts())
                .isEqualTo(1);
        assertThat(catalog.definition("gone", v1)).isPresent();
        assertThat(catalog.definition("gone", v2)).isEmpty();
    }

    /** A net run keeps the members and edges of the version it was started with, on any replica. */
    @Test
    void aNetRunKeepsTheNetOfItsVersion() throws IOException {
        write(V1 + """
                nets:
                  night:
                    members:
                      first: { job: billing }
                      then: { job: gone, after: [first] }
                """);
        String v1 = catalog().get().version();
        write(V2 + """
                nets:
                  night:
                    members:
                      only: { job: billing }
                """);

        CurrentCatalog later = catalog();

        assertThat(later.net("night", v1).orElseThrow().members()).containsOnlyKeys("first", "then");
        assertThat(later.net("night", later.get().version()).orElseThrow().members())
                .containsOnlyKeys("only");
    }

    /** Another replica, which never had v1 in memory, reads it from the store. */
    @Test
    void aReplicaStartedLaterFindsTheDefinitionOfAnOlderVersionInTheStore() throws IOException {
        write(V1);
        String v1 = catalog().get().version();
        write(V2);

        CurrentCatalog later = catalog();

        assertThat(later.get().version()).isNotEqualTo(v1);
        assertThat(later.definition("gone", v1)).isPresent();
        assertThat(later.versions(10))
                .extracting(CatalogVersions.StoredVersion::version)
                .contains(v1, later.get().version());
    }

    @Test
    void aBrokenDirectoryIsRefusedAndThePreviousCatalogStaysInForce() throws IOException {
        write(V1);
        CurrentCatalog catalog = catalog();
        String v1 = catalog.get().version();

        write(V1.replace("maxAttempts: 2", "maxAttempts: lots"));
        CurrentCatalog.Reload reload = catalog.reload();

        assertThat(reload).isInstanceOf(CurrentCatalog.Reload.Refused.class);
        assertThat(reload.version()).isEqualTo(v1);
        assertThat(catalog.get().version()).isEqualTo(v1);
        assertThat(catalog.refused().orElseThrow().errors()).anySatisfy(error -> assertThat(error.toString())
                .startsWith("jobs.yaml:6: jobs.billing.retry.maxAttempts"));
        assertThat(failures()).isEqualTo(1);

        // the periodic check of the same broken content counts it once
        catalog.reload();
        assertThat(failures()).isEqualTo(1);

        write(V2);
        assertThat(catalog.reload()).isInstanceOf(CurrentCatalog.Reload.Swapped.class);
        assertThat(catalog.refused()).isEmpty();
    }

    /** Runs accepted before versions were stored keep working with the catalog in force. */
    @Test
    void aVersionThatWasNeverStoredUsesTheCatalogInForce() throws IOException {
        write(V1);
        CurrentCatalog catalog = catalog();

        assertThat(catalog.definition("billing", "sha256:0000000000000000"))
                .isEqualTo(catalog.get().job("billing"));
        assertThat(catalog.definition("billing", "sha256:0000000000000000")).isPresent();
        assertThat(catalog.definition("nope", "sha256:0000000000000000")).isEmpty();
    }

    @Test
    void aBrokenCatalogStillStopsTheStart() throws IOException {
        write("jobs: [");
        assertThatThrownBy(this::catalog).isInstanceOf(CatalogException.class);
    }
}
