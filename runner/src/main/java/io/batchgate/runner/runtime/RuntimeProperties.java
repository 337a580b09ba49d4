package io.batchgate.runner.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The choice among the task runtimes (each runtime has its own settings under {@code
 * batchgate.runtime.<name>}).
 *
 * @param defaultRuntime {@code batchgate.runtime.default}: the runtime of jobs that do not name one
 */
@ConfigurationProperties("batchgate.runtime")
public record RuntimeProperties(
        @Name("default") @DefaultValue("local") String defaultRuntime) {

    public RuntimeProperties {
        if (defaultRuntime.isBlank()) {
            throw new IllegalArgumentException("batchgate.runtime.default must name a runtime (local, ecs)");
        }
    }
}
