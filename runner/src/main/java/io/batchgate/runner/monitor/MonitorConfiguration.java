package io.batchgate.runner.monitor;

import io.batchgate.runner.logs.RunLogs;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The heartbeat seam: {@link RunHeartbeats} follows the run events and tells the configured {@link Monitor}. */
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

    /** Failure pings carry what the logs endpoint serves: local files or CloudWatch streams. */
    @Bean
    LogTail runLogTail(RunLogs logs) {
        return new RunLogTail(logs);
    }
}
