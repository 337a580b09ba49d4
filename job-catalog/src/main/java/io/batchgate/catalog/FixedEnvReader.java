package io.batchgate.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the fixed {@code env} map of a local or ecs target. */
final class FixedEnvReader {

    private FixedEnvReader() {}

    /** Empty map if there is no {@code env} key; empty Optional if it has problems. */
    static Optional<Map<String, String>> read(MappingReader target, Set<String> paramNames) {
        Optional<MappingReader> env = target.mapping("env", List.of());
        if (!target.has("env")) {
            return Optional.of(Map.of());
        }
        if (env.isEmpty()) {
            return Optional.empty();
        }
        Problems problems = target.problems();
        int before = problems.errorCount();
        Map<String, String> values = new LinkedHashMap<>();
        for (LocatedNode.Entry entry : env.get().entries()) {
            String name = entry.key();
            String field = env.get().field(name);
            EnvNames.check(name, entry.keyLine(), field, paramNames, problems);
            Values.string(entry.value(), field, problems).ifPresent(value -> values.put(name, value));
        }
        return problems.errorCount() == before ? Optional.of(values) : Optional.empty();
    }
}
