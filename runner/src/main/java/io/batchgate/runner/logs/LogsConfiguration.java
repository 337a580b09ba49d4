package io.batchgate.runner.logs;

import io.batchgate.runner.runtime.local.AttemptDirectories;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LogsConfiguration {

    @Bean
    LocalLogFiles localLogFiles(AttemptDirectories directories) {
        return new LocalLogFiles(directories);
    }
}
