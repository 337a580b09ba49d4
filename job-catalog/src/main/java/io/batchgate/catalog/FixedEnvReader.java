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
            if (name.startsWith(EnvNames.RESERVED_PREFIX)) {
                problems.error(
                        entry.keyLine(),
                        field,
                        "uses reserved prefix " + EnvNames.RESERVED_PREFIX + " (set by batchgate at launch)");
            } else if (!EnvNames.NAME.matcher(name).matches()) {
                problems.error(
                        entry.keyLine(),
                        field,
                        "must be an environment variable name matching " + EnvNames.NAME.pattern());
            } else if (paramNames.contains(name)) {
                problems.error(
                        entry.keyLine(), field, "clashes with parameter " + name + " (params are passed as env)");
            }
            Values.string(entry.value(), field, problems).ifPresent(value -> values.put(name, value));
        }
        return problems.errorCount() == before ? Optional.of(values) : Optional.empty();
    }
}
