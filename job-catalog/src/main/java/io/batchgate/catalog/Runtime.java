package io.batchgate.catalog;

import java.util.Locale;
import java.util.Optional;

/** Where a job's attempts execute; a job may override the deployment's default. */
public enum Runtime {
    LOCAL,
    ECS;

    /** The name used in the catalog ({@code local}, {@code ecs}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Runtime> fromId(String id) {
        for (Runtime runtime : values()) {
            if (runtime.id().equals(id)) {
                return Optional.of(runtime);
            }
        }
        return Optional.empty();
    }
}
