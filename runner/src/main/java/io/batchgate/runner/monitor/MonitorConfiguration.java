package io.batchgate.runner.monitor;

import io.batchgate.runner.runtime.local.AttemptDirectories;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The heartbeat seam: the ledger tells {@link RunHeartbeats}, which tells the configured {@link Monitor}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MonitorProperties.class)
class MonitorConfiguration {

    @Bean
    @ConditionalOnProperty(name = "batchgate.monitor.enabled", havingValue = "false", matchIfMissing = true)
    Monitor noMonitor() {
        return new NoMonitor();
    }

    @Bean
    RunHeartbeats runHeartbeats(Monitor monitor) {
        return new RunHeartbeats(monitor);
    }

    /** The local runtime's output files; the seam the log port will take over. */
    @Bean
    LogTail localLogTail(AttemptDirectories directories) {
        return new LocalLogTail(directories);
    }
}
