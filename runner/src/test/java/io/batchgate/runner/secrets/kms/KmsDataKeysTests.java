package io.batchgate.runner.secrets.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.secrets.SecretSeal;
import io.batchgate.runner.testing.TestDatabases;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Envelope encryption of secret params with the real SDK {@code KmsClient} against the KMS wire
 * simulator, the data keys stored on H2 and on MariaDB: replicas share one data key through the
 * database, restarts and rotations still open old values, a denied or unknown key stops start-up
 * naming it, and the plaintext data key is never stored.
 */
@Tag("sql")
class KmsDataKeysTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final SecureRandom random = new SecureRandom();
    private KmsSimulator kms;
    private String keyArn;
    private DataSource dataSource;
    private JdbcClient jdbc;

    @BeforeEach
    void setUp() {
        kms = KmsSimulator.start();
        keyArn = kms.createKey("alias/batchgate-secrets");
        dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void tearDown() {
        kms.close();
    }

    private List<SecretSeal.Key> start(String kmsKeyId) {
        return start(kmsKeyId, null);
    }

    /** What a replica's start-up does (SecretsConfiguration): its own client, closed afterwards. */
    private List<SecretSeal.Key> start(String kmsKeyId, @Nullable Duration maxAge) {
        return KmsDataKeys.load(kmsKeyId, KmsSimulator.REGION, kms.endpoint(), maxAge, jdbc, clock);
    }

    private SecretSeal seal(List<SecretSeal.Key> keys) {
        return new SecretSeal(keys, random);
    }

    @Test
    void twoReplicasShareOneDataKeyThroughTheDatabase() {
        SecretSeal first = seal(start("alias/batchgate-secrets"));
        SecretSeal second = seal(start("alias/batchgate-secrets"));

        assertThat(kms.calls("GenerateDataKey")).as("one data key for both").isEqualTo(1);
        assertThat(kms.calls("Decrypt")).isEqualTo(2);
        String sealed = first.seal("run-1", "PASSWORD", "correct horse");
        assertThat(sealed).startsWith("bgsealed:v1:kms-1:");
        assertThat(second.open("run-1", "PASSWORD", sealed)).isEqualTo("correct horse");
        assertThat(first.open("run-2", "TOKEN", second.seal("run-2", "TOKEN", "battery staple")))
                .isEqualTo("battery staple");
        assertThat(jdbc.sql("SELECT id, kms_key_id, kms_key_arn FROM bg_secret_data_key")
                        .query()
                        .listOfRows())
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.get("id")).isEqualTo("kms-1");
                    assertThat(row.get("kms_key_id")).isEqualTo("alias/batchgate-secrets");
                    assertThat(row.get("kms_key_arn")).isEqualTo(keyArn);
                });
    }

    /** Replicas starting at the same moment race for the first generation: one row, one key for all. */
    @Test
    void replicasStartingTogetherEndWithOneDataKey() throws Exception {
        int replicas = 4;
        ExecutorService threads = Executors.newFixedThreadPool(replicas);
        try {
            CyclicBarrier together = new CyclicBarrier(replicas);
            List<Future<List<SecretSeal.Key>>> started = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                started.add(threads.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return start(keyArn);
                }));
            }
            List<SecretSeal> seals = new ArrayList<>();
            for (Future<List<SecretSeal.Key>> replica : started) {
                seals.add(seal(replica.get(60, TimeUnit.SECONDS)));
            }
            String sealed = seals.get(0).seal("run-1", "P", "one key for all");
            for (SecretSeal other : seals) {
                assertThat(other.open("run-1", "P", sealed)).isEqualTo("one key for all");
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM bg_secret_data_key")
                            .query(Integer.class)
                            .single())
                    .isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aValueSealedBeforeARestartOrARotationOpensAfterIt() {
        String beforeRestart = seal(start(keyArn)).seal("run-1", "PASSWORD", "sealed before");

        SecretSeal restarted = seal(start(keyArn));
        assertThat(restarted.open("run-1", "PASSWORD", beforeRestart)).isEqualTo("sealed before");
        assertThat(kms.calls("GenerateDataKey")).isEqualTo(1);

        // another KMS key: a new generation seals, the old one still opens
        kms.createKey("alias/batchgate-secrets-2026");
        SecretSeal rotated = seal(start("alias/batchgate-secrets-2026"));
        assertThat(rotated.seal("run-2", "PASSWORD", "after")).startsWith("bgsealed:v1:kms-2:");
        assertThat(rotated.open("run-1", "PASSWORD", beforeRestart)).isEqualTo("sealed before");

        // an old data key: a new generation under the same KMS key
        clock.advance(Duration.ofDays(31));
        SecretSeal aged = seal(start("alias/batchgate-secrets-2026", Duration.ofDays(30)));
        assertThat(aged.seal("run-3", "PASSWORD", "later")).startsWith("bgsealed:v1:kms-3:");
        assertThat(aged.open("run-1", "PASSWORD", beforeRestart)).isEqualTo("sealed before");
        assertThat(seal(start("alias/batchgate-secrets-2026", Duration.ofDays(30)))
                        .seal("r", "P", "same"))
                .as("not older than the max age: no new generation")
                .startsWith("bgsealed:v1:kms-3:");
        assertThat(kms.calls("GenerateDataKey")).isEqualTo(3);
    }

    @Test
    void aDeniedKeyStopsStartUpNamingIt() {
        kms.deny(keyArn);
        assertThatThrownBy(() -> start("alias/batchgate-secrets"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KMS GenerateDataKey with batchgate.secrets.kms-key-id 'alias/batchgate-secrets'")
                .hasMessageContaining("AccessDeniedException")
                .hasMessageContaining("kms:GenerateDataKey and kms:Decrypt");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bg_secret_data_key")
                        .query(Integer.class)
                        .single())
                .isZero();

        // a data key stored, then the role loses kms:Decrypt: the next start stops too
        kms.allow(keyArn);
        start("alias/batchgate-secrets");
        kms.deny(keyArn);
        assertThatThrownBy(() -> start("alias/batchgate-secrets"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KMS Decrypt with batchgate.secrets.kms-key-id 'alias/batchgate-secrets'")
                .hasMessageContaining("AccessDeniedException");
    }

    @Test
    void anUnknownKeyStopsStartUpNamingIt() {
        assertThatThrownBy(() -> start("alias/no-such-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'alias/no-such-key'")
                .hasMessageContaining("NotFoundException");
    }

    @Test
    void theStoredCopyIsBoundToItsGeneration() {
        start(keyArn);
        // a blob copied into another generation's row does not decrypt: the context names the generation
        jdbc.sql("INSERT INTO bg_secret_data_key (id, generation, kms_key_id, kms_key_arn, encrypted_key, created_at)"
                        + " SELECT 'kms-2', 2, kms_key_id, kms_key_arn, encrypted_key, created_at"
                        + " FROM bg_secret_data_key WHERE id = 'kms-1'")
                .update();
        assertThatThrownBy(() -> start(keyArn)).hasMessageContaining("InvalidCiphertextException");
    }

    @Test
    void thePlaintextDataKeyNeverLandsInTheDatabase() {
        SecretSeal seal = seal(start(keyArn));
        kms.createKey("alias/next");
        seal(start("alias/next"));
        assertThat(kms.plaintextsHandedOut()).hasSize(2);

        List<Map<String, Object>> rows =
                jdbc.sql("SELECT * FROM bg_secret_data_key").query().listOfRows();
        assertThat(rows).hasSize(2);
        String stored = rows.toString();
        for (byte[] plaintext : kms.plaintextsHandedOut()) {
            assertThat(stored)
                    .doesNotContain(Base64.getEncoder().encodeToString(plaintext))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(plaintext))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(plaintext));
        }
        // and the seal really works with the key that was handed out, not with something stored
        assertThat(seal.open("r", "P", seal.seal("r", "P", "v"))).isEqualTo("v");
    }
}
