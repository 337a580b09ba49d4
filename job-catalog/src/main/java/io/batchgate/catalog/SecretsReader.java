package io.batchgate.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a job's {@code secrets}: env name to {@code valueFrom}. A {@code ${PARAM}} placeholder must
 * name an enum param that always has a value (required or defaulted), and every value of it must
 * give a valid ARN, so a trigger can never produce a reference ECS would refuse at task start.
 */
final class SecretsReader {

    private SecretsReader() {}

    /** Empty map if the job has no {@code secrets}; empty Optional if they have problems. */
    static Optional<Map<String, SecretRef>> read(
            MappingReader job, Map<String, ParamSpec> params, Set<String> fixedEnv) {
        if (!job.has("secrets")) {
            return Optional.of(Map.of());
        }
        Optional<MappingReader> secrets = job.mapping("secrets", List.of());
        if (secrets.isEmpty()) {
            return Optional.empty();
        }
        Problems problems = job.problems();
        int before = problems.errorCount();
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        for (LocatedNode.Entry entry : secrets.get().entries()) {
            String name = entry.key();
            String field = secrets.get().field(name);
            if (EnvNames.check(name, entry.keyLine(), field, params.keySet(), problems) && fixedEnv.contains(name)) {
                problems.error(entry.keyLine(), field, "clashes with the fixed env variable " + name);
            }
            int line = entry.value().line();
            Values.nonEmptyString(entry.value(), field, problems).ifPresent(valueFrom -> {
                SecretRef ref = new SecretRef(valueFrom);
                if (check(ref, params, line, field, problems)) {
                    refs.put(name, ref);
                }
            });
        }
        return problems.errorCount() == before ? Optional.of(refs) : Optional.empty();
    }

    private static boolean check(
            SecretRef ref, Map<String, ParamSpec> params, int line, String field, Problems problems) {
        Set<String> names = ref.placeholders();
        if (names.isEmpty()) {
            return report(SecretRef.arnProblem(ref.valueFrom()), ref.valueFrom(), line, field, problems);
        }
        if (names.size() > 1) {
            problems.error(line, field, "may use at most one ${PARAM}, found " + names);
            return false;
        }
        String name = names.iterator().next();
        ParamSpec param = params.get(name);
        if (param == null) {
            problems.error(line, field, "${" + name + "} is not a parameter of this job");
            return false;
        }
        if (param.type() != ParamType.ENUM) {
            problems.error(
                    line,
                    field,
                    "${" + name + "} must be an enum parameter (its values are checked here), found type "
                            + param.type().id());
            return false;
        }
        if (!param.required() && param.defaultValue().isEmpty()) {
            problems.error(
                    line, field, "${" + name + "} must be required or have a default: the secret needs its value");
            return false;
        }
        for (String value : param.values()) {
            Optional<String> problem = SecretRef.arnProblem(ref.resolve(Map.of(name, value)));
            if (problem.isPresent()) {
                problems.error(line, field, "with " + name + "=" + LocatedNode.Shown.text(value) + " " + problem.get());
                return false;
            }
        }
        return true;
    }

    private static boolean report(Optional<String> problem, String arn, int line, String field, Problems problems) {
        problem.ifPresent(p -> problems.error(line, field, p + ", found '" + LocatedNode.Shown.text(arn) + "'"));
        return problem.isEmpty();
    }
}
