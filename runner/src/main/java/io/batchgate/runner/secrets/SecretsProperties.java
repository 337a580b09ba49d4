package io.batchgate.runner.secrets;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How secret parameter values are kept and scrubbed.
 *
 * @param keys configured AES keys (the {@code aws} profile reads one from the environment); the first
 *     seals, all open. When empty, the key file is used.
 * @param keyFile the key file of the embedded default; default {@code <data-dir>/secret-keys}, created
 *     with mode 600 on first start, refused if group or others may read it
 * @param scrubMinLength secret values shorter than this are not replaced in job output (replacing
 *     "a" everywhere would destroy the log); they are still sealed at rest and masked elsewhere
 */
@ConfigurationProperties("batchgate.secrets")
public record SecretsProperties(
        @DefaultValue List<KeyConfig> keys,
        @Nullable Path keyFile,
        @DefaultValue("4") int scrubMinLength) {

    public SecretsProperties {
        if (scrubMinLength < 1) {
            throw new IllegalArgumentException("batchgate.secrets.scrub-min-length must be at least 1");
        }
    }

    /**
     * @param id stored with each sealed value so that rotated keys still open old rows
     * @param value base64 of 16, 24 or 32 random bytes ({@code openssl rand -base64 32})
     */
    public record KeyConfig(String id, String value) {
        @Override
        public String toString() {
            return "KeyConfig[" + id + ", value=******]";
        }
    }
}
