package io.batchgate.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the local runtime starts a job: a command (no shell unless the command is one), an optional working directory
 * and fixed environment variables; params are added to the environment at launch.
 */
public record LocalTarget(List<String> command, Optional<String> workingDir, Map<String, String> env) {

    public LocalTarget {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        Objects.requireNonNull(workingDir, "workingDir");
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        EnvNames.requireValid(env.keySet());
    }
}
