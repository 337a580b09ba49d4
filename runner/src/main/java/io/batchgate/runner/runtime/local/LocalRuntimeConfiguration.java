package io.batchgate.runner.runtime.local;

import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.instance.DataDirProperties;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.runtime.TaskExitSink;
import io.batchgate.runner.secrets.OutputScrubbers;
import io.batchgate.runner.secrets.SecretsProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LocalRuntimeProperties.class)
class LocalRuntimeConfiguration {

    @Bean
    AttemptDirectories attemptDirectories(DataDirProperties data) {
        return new AttemptDirectories(data.dataDir());
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService localExitCallbacks(LocalRuntimeProperties properties) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(properties.callbackThreads(), task -> {
            Thread thread = new Thread(task, "local-exit-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks a few times per retention, at most every 10 minutes. */
    @Bean
    @ConditionalOnRunner
    PeriodicLoop secretScrubSweeper(
            RunLedger ledger,
            JdbcClient jdbc,
            AttemptDirectories directories,
            OutputScrubbers scrubbers,
            SecretsProperties secrets,
            Clock clock) {
        Duration retention = secrets.scrubRetention();
        Duration interval = retention.dividedBy(4).compareTo(Duration.ofMinutes(10)) < 0
                ? retention.dividedBy(4)
                : Duration.ofMinutes(10);
        return new PeriodicLoop(
                "secret-scrub-sweeper",
                interval,
                new SecretScrubSweeper(ledger, jdbc, directories, scrubbers, retention, clock));
    }

    @Bean
    LocalProcessRuntime localProcessRuntime(
            AttemptDirectories directories,
            LocalRuntimeProperties properties,
            TaskExitSink exitSink,
            ExecutorService localExitCallbacks,
            RunLedger ledger) {
        LocalProcessRuntime runtime = new LocalProcessRuntime(
                directories,
                properties,
                exitSink,
                localExitCallbacks,
                (attempt, values) -> ledger.addScrubValues(attempt.runId(), attempt.attempt(), values));
        // a secrets file others can read is a configuration error: refuse to start rather than use it
        runtime.secretsFileProblem().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        return runtime;
    }
}
