package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.secrets.OutputScrubbers;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LogsProperties.class)
class LogsConfiguration {

    @Bean
    LocalLogFiles localLogFiles(LocalOutputFiles directories) {
        return new LocalLogFiles(directories);
    }

    @Bean
    AttemptLogs attemptLogs(JdbcClient jdbc) {
        return new AttemptLogs(jdbc);
    }

    /** The CloudWatch store, when its adapter is on, is the one other {@link LogSource}. */
    @Bean
    LogSources logSources(LocalLogFiles files, ObjectProvider<LogSource> sources) {
        return new LogSources(
                files,
                sources.stream()
                        .filter(source -> !(source instanceof LocalLogFiles))
                        .findFirst());
    }

    @Bean
    RunLogs runLogs(RunLedger ledger, LogSources sources, Clock clock, OutputScrubbers scrubbers) {
        return new RunLogs(ledger, sources, clock, scrubbers);
    }

    /** Two threads read for all followers; they only wait on I/O for a page at a time. */
    @Bean(destroyMethod = "close")
    LogFollowers logFollowers(RunLogs logs, RunLedger ledger, LogsProperties properties) {
        AtomicInteger count = new AtomicInteger();
        ScheduledExecutorService readers = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "log-follow-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return new LogFollowers(logs, ledger, properties, readers);
    }
}
