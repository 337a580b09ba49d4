package io.batchgate.runner.secrets;

import io.batchgate.runner.instance.DataDirProperties;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The seal for secret values at rest: configured keys, else the data directory's key file. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
class SecretsConfiguration {

    @Bean
    SecretSeal secretSeal(SecretsProperties properties, DataDirProperties dataDir) {
        SecureRandom random = new SecureRandom();
        List<SecretSeal.Key> keys = properties.keys().isEmpty()
                ? SecretKeyFile.load(
                        properties.keyFile() != null
                                ? properties.keyFile()
                                : dataDir.dataDir().resolve("secret-keys"),
                        random)
                : properties.keys().stream()
                        .map(key ->
                                new SecretSeal.Key(key.id(), Base64.getDecoder().decode(key.value())))
                        .toList();
        return new SecretSeal(keys, random);
    }

    @Bean
    OutputScrubbers outputScrubbers(SecretsProperties properties) {
        return new OutputScrubbers(properties.scrubMinLength());
    }
}
