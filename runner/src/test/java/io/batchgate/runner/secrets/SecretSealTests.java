package io.batchgate.runner.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealTests {

    private final SecureRandom random = new SecureRandom();

    private SecretSeal.Key key(String id) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new SecretSeal.Key(id, bytes);
    }

    @Test
    void aValueOpensForItsRunAndParamOnlyAndEachSealIsFresh() {
        SecretSeal seal = new SecretSeal(List.of(key("k1")), random);
        String sealed = seal.seal("run-1", "PASSWORD", "s3cret");
        assertThat(sealed).startsWith("bgsealed:v1:k1:").doesNotContain("s3cret");
        assertThat(seal.seal("run-1", "PASSWORD", "s3cret")).as("fresh nonce").isNotEqualTo(sealed);
        assertThat(seal.open("run-1", "PASSWORD", sealed)).isEqualTo("s3cret");
        assertThatThrownBy(() -> seal.open("run-2", "PASSWORD", sealed))
                .hasMessageContaining("belongs to another run")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> seal.open("run-1", "TOKEN", sealed)).isInstanceOf(SecretSeal.UnsealException.class);
    }

    @Test
    void aRotatedRingSealsWithItsFirstKeyAndStillOpensOldValues() {
        SecretSeal.Key old = key("old");
        String sealedBefore = new SecretSeal(List.of(old), random).seal("r", "P", "v1");
        SecretSeal rotated = new SecretSeal(List.of(key("new"), old), random);
        assertThat(rotated.open("r", "P", sealedBefore)).isEqualTo("v1");
        assertThat(rotated.seal("r", "P", "v2")).startsWith("bgsealed:v1:new:");
        SecretSeal withoutOld = new SecretSeal(List.of(key("new")), random);
        assertThatThrownBy(() -> withoutOld.open("r", "P", sealedBefore))
                .hasMessageContaining("key 'old' is not configured");
    }

    @Test
    void theKeyFileIsCreatedPrivateAndRefusedWhenOthersMayReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/secret-keys");
        List<SecretSeal.Key> created = SecretKeyFile.load(file, random);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(created).hasSize(1);
        assertThat(SecretKeyFile.load(file, random).get(0).bytes())
                .as("the same key on the next start")
                .isEqualTo(created.get(0).bytes());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretKeyFile.load(file, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accessible by group or others")
                .hasMessageContaining("chmod 600");
    }
}
