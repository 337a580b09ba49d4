package io.batchgate.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's parameter values after {@link JobDefinition#bind}: validated, normalized, defaults applied.
 *
 * @param values ordered as the job declares its params; absent optional params without a default are omitted
 * @param secretNames the job's params declared {@code secret: true}
 */
public record BoundParams(Map<String, String> values, Set<String> secretNames) {

    static final String MASK = "******";

    public BoundParams {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        secretNames = Collections.unmodifiableSet(new LinkedHashSet<>(secretNames));
    }

    /** The values with every secret replaced by {@code ******}, safe to log, store or show. */
    public Map<String, String> masked() {
        Map<String, String> masked = new LinkedHashMap<>();
        values.forEach((name, value) -> masked.put(name, secretNames.contains(name) ? MASK : value));
        return Collections.unmodifiableMap(masked);
    }

    @Override
    public String toString() {
        return "BoundParams" + masked();
    }
}
