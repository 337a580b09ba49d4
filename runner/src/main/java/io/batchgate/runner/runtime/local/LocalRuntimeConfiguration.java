package io.batchgate.runner.runtime.local;

import io.batchgate.runner.runtime.TaskExitSink;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LocalRuntimeProperties.class)
class LocalRuntimeConfiguration {

    @Bean
    AttemptDirectories attemptDirectories(@Value("${batchgate.data-dir}") Path dataDir) {
        return new AttemptDirectories(dataDir);
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

    @Bean
    LocalProcessRuntime localProcessRuntime(
            AttemptDirectories directories,
            LocalRuntimeProperties properties,
            TaskExitSink exitSink,
            ExecutorService localExitCallbacks) {
        return new LocalProcessRuntime(directories, properties, exitSink, localExitCallbacks);
    }
}
