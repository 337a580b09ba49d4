package io.batchgate.runner.runtime.local;

import io.batchgate.runner.instance.DataDirProperties;
import io.batchgate.runner.runtime.TaskExitSink;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

    @Bean
    LocalProcessRuntime localProcessRuntime(
            AttemptDirectories directories,
            LocalRuntimeProperties properties,
            TaskExitSink exitSink,
            ExecutorService localExitCallbacks) {
        LocalProcessRuntime runtime = new LocalProcessRuntime(directories, properties, exitSink, localExitCallbacks);
        // a secrets file others can read is a configuration error: refuse to start rather than use it
        runtime.secretsFileProblem().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        return runtime;
    }
}
