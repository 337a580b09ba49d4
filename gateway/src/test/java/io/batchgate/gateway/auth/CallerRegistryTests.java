package io.batchgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callers from configuration and from a callers file that is re-read while the gateway runs. */
class CallerRegistryTests {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aTokenIsRotatedByEditingTheCallersFileWithoutARestart() throws Exception {
        Path file = dir.resolve("callers.yaml");
        write(file, """
                callers:
                  - name: jp1-prod
                    token-sha256: %s
                    scopes: [trigger:nightly-*, cancel:nightly-*]
                """.formatted(sha256("old-token-0123456789")));
        CallerRegistry registry = registry(file);
        Caller caller = registry.authenticate("old-token-0123456789");
        assertThat(caller.name()).isEqualTo("jp1-prod");
        assertThat(caller.scopes().allows(Action.TRIGGER, "nightly-billing")).isTrue();
        assertThat(caller.scopes().allows(Action.TRIGGER, "hello")).isFalse();
        assertThat(caller.scopes().allows(Action.READ, "nightly-billing")).isTrue();

        // step 1: both tokens, while clients move over
        write(file, """
                callers:
                  - name: jp1-prod
                    token-sha256: %s
                    scopes: [trigger:nightly-*]
                  - name: jp1-prod
                    token-sha256: %s
                    scopes: [trigger:nightly-*]
                """.formatted(sha256("old-token-0123456789"), sha256("new-token-0123456789")));
        registry.reloadIfChanged();
        assertThat(registry.authenticate("old-token-0123456789")).isNotNull();
        assertThat(registry.authenticate("new-token-0123456789").name()).isEqualTo("jp1-prod");

        // step 2: the old one removed
        write(file, """
                callers:
                  - name: jp1-prod
                    token-sha256: %s
                    scopes: [trigger:nightly-*]
                """.formatted(sha256("new-token-0123456789")));
        registry.reloadIfChanged();
        assertThat(registry.authenticate("old-token-0123456789")).isNull();
        assertThat(registry.authenticate("new-token-0123456789")).isNotNull();
        // configured callers are untouched by the file
        assertThat(registry.authenticate("configured-token-0123").name()).isEqualTo("ops");
    }

    @Test
    void aBrokenFileIsRefusedAndTheCallersBeforeStayInForce() throws Exception {
        Path file = dir.resolve("callers.yaml");
        write(file, """
                callers:
                  - name: batch
                    token: batch-token-0123456789
                    scopes: [read:*]
                """);
        CallerRegistry registry = registry(file);
        write(file, """
                callers:
                  - name: batch
                    token: short
                    scopes: [reed:*]
                    colour: blue
                """);
        registry.reloadIfChanged();
        assertThat(registry.authenticate("batch-token-0123456789")).isNotNull();
        assertThat(meters.get("batchgate.auth.callers_file_errors").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void everyMistakeIsNamedWithItsFileAndEntry() throws Exception {
        Path file = dir.resolve("callers.yaml");
        write(file, """
                callers:
                  - name: batch
                    token: short
                    scopes: [reed:*]
                  - name: "has space"
                    token-sha256: 1234
                    scopes: []
                  - name: twin
                    token: configured-token-0123
                    scopes: [admin]
                """);
        assertThatThrownBy(() -> registry(file))
                .hasMessageContaining(file + ": callers[0].token: must have at least 12 characters")
                .hasMessageContaining(file + ": callers[0].scopes: 'reed:*' is not a scope")
                .hasMessageContaining(file + ": callers[1].name: must be 1-100 of")
                .hasMessageContaining(file + ": callers[1].token-sha256: must be 64 hex digits")
                .hasMessageContaining(file + ": callers[1].scopes: no scopes");
        write(file, """
                callers:
                  - name: twin
                    token: configured-token-0123
                    scopes: [admin]
                """);
        assertThatThrownBy(() -> registry(file))
                .hasMessageContaining(file + ": callers[0]: the same token as batchgate.auth.tokens[0]");
    }

    @Test
    void noTokenAtAllRefusesToStart() {
        assertThatThrownBy(() -> new CallerRegistry(
                        new AuthProperties(
                                List.of(new AuthProperties.CallerConfig("scheduler", "", "", List.of("admin"), null)),
                                null,
                                Duration.ofSeconds(5),
                                new AuthProperties.TriggerRateConfig(20, 200)),
                        meters))
                .hasMessageStartingWith("no API token is configured");
    }

    @Test
    void scopeGlobsMatchWholeJobNames() {
        Scopes scopes = Scopes.parse(List.of("trigger:nightly-*", "read:*-report", "cancel:hello"));
        assertThat(scopes.allows(Action.TRIGGER, "nightly-billing")).isTrue();
        assertThat(scopes.allows(Action.TRIGGER, "nightly-")).isTrue();
        assertThat(scopes.allows(Action.TRIGGER, "my-nightly-billing")).isFalse();
        assertThat(scopes.allows(Action.READ, "sales-report")).isTrue();
        assertThat(scopes.allows(Action.READ, "sales-report-2")).isFalse();
        assertThat(scopes.allows(Action.CANCEL, "hello")).isTrue();
        assertThat(scopes.allows(Action.CANCEL, "hello2")).isFalse();
        assertThat(scopes.allows(Action.READ, "hello")).isTrue();
        assertThat(scopes.readableGlobs()).hasValue(List.of("*-report", "nightly-*", "hello"));
        assertThat(Scopes.parse(List.of("read:*")).readableGlobs()).isEmpty();
        assertThatThrownBy(() -> Scopes.parse(List.of("trigger:Nightly_*"))).hasMessageContaining("not a scope");
    }

    private CallerRegistry registry(Path file) {
        return new CallerRegistry(
                new AuthProperties(
                        List.of(new AuthProperties.CallerConfig(
                                "ops", "configured-token-0123", null, List.of("admin"), null)),
                        file,
                        Duration.ofSeconds(5),
                        new AuthProperties.TriggerRateConfig(20, 200)),
                meters);
    }

    /** Writes and moves the modification time on, so that a rewrite within the same second is seen. */
    private static void write(Path file, String text) throws Exception {
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.from(Instant.EPOCH);
        Files.writeString(file, text);
        Files.setLastModifiedTime(
                file,
                FileTime.from(
                        before.toInstant().plusSeconds(1).isAfter(Instant.now())
                                ? before.toInstant().plusSeconds(1)
                                : Instant.now()));
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
