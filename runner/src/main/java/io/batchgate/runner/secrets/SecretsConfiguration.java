package io.batchgate.runner.secrets;

import io.batchgate.runner.instance.DataDirProperties;
import io.batchgate.runner.secrets.kms.KmsDataKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The seal for secret values at rest: a KMS data key when {@code kms-key-id} is set (configured
 * keys then only open what they sealed before), else the configured keys, else the data
 * directory's key file.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
class SecretsConfiguration {

    @Bean
    SecretSeal secretSeal(
            SecretsProperties properties,
            DataDirProperties dataDir,
            ObjectProvider<JdbcClient> jdbc,
            ObjectProvider<Clock> clock) {
        SecureRandom random = new SecureRandom();
        List<SecretSeal.Key> keys = new ArrayList<>();
        if (properties.kmsKeyId() != null) {
            keys.addAll(KmsDataKeys.load(
                    properties.kmsKeyId(),
                    properties.kmsRegion(),
                    properties.kmsEndpoint(),
                    properties.kmsDataKeyMaxAge(),
                    jdbc.getObject(),
                    clock.getIfAvailable(Clock::systemUTC)));
        }
        properties.keys().stream()
                .map(key -> new SecretSeal.Key(key.id(), Base64.getDecoder().decode(key.value())))
                .forEach(keys::add);
        if (keys.isEmpty()) {
            if (!properties.allowKeyFile()) {
                throw new IllegalStateException("no key to seal secret param values: set batchgate.secrets.kms-key-id"
                        + " (BATCHGATE_SECRETS_KMS_KEY_ID) or batchgate.secrets.keys (BATCHGATE_SECRETS_KEY)");
            }
            keys.addAll(SecretKeyFile.load(
                    properties.keyFile() != null
                            ? properties.keyFile()
                            : dataDir.dataDir().resolve("secret-keys"),
                    random));
        }
        return new SecretSeal(keys, random);
    }

    @Bean
    OutputScrubbers outputScrubbers(SecretsProperties properties) {
        return new OutputScrubbers(properties.scrubMinLength());
    }
}
