package io.batchgate.runner.startup;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StartupProperties.class)
class StartupConfiguration {

    @Bean
    StartupWait startupWait(StartupProperties properties, ObjectProvider<Clock> clock) {
        return new StartupWait(properties, clock.getIfAvailable(Clock::systemUTC));
    }

    /** Static: a post-processor must exist before the DataSource it waits for. */
    @Bean
    static DatabaseStartupWait databaseStartupWait(ObjectProvider<StartupWait> startupWait) {
        return new DatabaseStartupWait(startupWait);
    }
}
