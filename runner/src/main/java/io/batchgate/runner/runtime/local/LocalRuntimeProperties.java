package io.batchgate.runner.runtime.local;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local runtime: each attempt is a process of this machine.
 *
 * @param inheritEnv the only variables of batchgate's own environment a job sees (so a job never
 *     sees batchgate's token or cloud credentials); the catalog's env and the caller's params come on top
 * @param callbackThreads threads that record exits (they only touch the database)
 * @param secretsFile a YAML file mapping the {@code valueFrom} ARNs of jobs' {@code secrets:} to their
 *     values, mode 600; unset: such values come from batchgate's environment variable of the same name
 */
@ConfigurationProperties("batchgate.runtime.local")
public record LocalRuntimeProperties(
        @DefaultValue({"PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "TMPDIR"})
        List<String> inheritEnv,

        @DefaultValue("2") int callbackThreads,
        @Nullable Path secretsFile) {

    public LocalRuntimeProperties {
        if (callbackThreads < 1) {
            throw new IllegalArgumentException(
                    "batchgate.runtime.local.callback-threads must be at least 1, was " + callbackThreads);
        }
    }
}
