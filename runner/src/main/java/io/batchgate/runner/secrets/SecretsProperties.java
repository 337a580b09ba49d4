package io.batchgate.runner.secrets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param kmsKeyId a KMS key (id, ARN, alias or alias ARN): when set, a data key generated under it
 *     (envelope encryption) seals, and only its encrypted copy is stored (table
 *     {@code bg_secret_data_key}); configured keys then only open values sealed before
 * @param kmsRegion the Region of the KMS key; unset: the SDK's default chain
 * @param kmsEndpoint another KMS endpoint (a VPC endpoint, a simulator); unset: the Region's
 * @param kmsDataKeyMaxAge a start-up finding the newest data key older than this generates a new one
 *     (old ones keep opening what they sealed); unset: a new data key only when {@code kms-key-id}
 *     changes
 * @param scrubRetention how long after a run ends the sealed copy of its secret values is kept
 *     for scrubbing its output when served; then the local output files are rewritten scrubbed and
 *     the copy is dropped
 * @param allowKeyFile whether the key file may be used when neither a KMS key nor keys are
 *     configured; the {@code aws} profile turns it off (a container's disk is not a key store)
 */
@ConfigurationProperties("batchgate.secrets")
public record SecretsProperties(
        @DefaultValue List<KeyConfig> keys,
        @Nullable Path keyFile,
        @DefaultValue("4") int scrubMinLength,
        @Nullable String kmsKeyId,
        @Nullable String kmsRegion,
        @Nullable URI kmsEndpoint,
        @Nullable Duration kmsDataKeyMaxAge,
        @DefaultValue("1h") Duration scrubRetention,
        @DefaultValue("true") boolean allowKeyFile) {

    public SecretsProperties {
        if (scrubMinLength < 1) {
            throw new IllegalArgumentException("batchgate.secrets.scrub-min-length must be at least 1");
        }
        if (scrubRetention.isNegative() || scrubRetention.isZero()) {
            throw new IllegalArgumentException(
                    "batchgate.secrets.scrub-retention must be positive, was " + scrubRetention);
        }
        if (kmsKeyId != null && kmsKeyId.isBlank()) {
            kmsKeyId = null; // the aws profile passes an unset environment variable as ""
        }
        if (kmsRegion != null && kmsRegion.isBlank()) {
            kmsRegion = null;
        }
        if (kmsDataKeyMaxAge != null && (kmsDataKeyMaxAge.isNegative() || kmsDataKeyMaxAge.isZero())) {
            throw new IllegalArgumentException(
                    "batchgate.secrets.kms-data-key-max-age must be positive, was " + kmsDataKeyMaxAge);
        }
        // A key whose value is empty is left out: the aws profile names BATCHGATE_SECRETS_KEY, which
        // may be unset when a KMS key seals.
        keys = keys.stream()
                .filter(key -> key.value() != null && !key.value().isBlank())
                .toList();
    }

    /**
     * @param id stored with each sealed value so that rotated keys still open old rows
     * @param value base64 of 16, 24 or 32 random bytes ({@code openssl rand -base64 32})
     */
    public record KeyConfig(String id, @Nullable String value) {
        @Override
        public String toString() {
            return "KeyConfig[" + id + ", value=******]";
        }
    }
}
