package io.batchgate.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One job of the catalog.
 *
 * @param description empty if the catalog gives none
 * @param runtime a per-job override of the deployment's default runtime
 * @param params insertion-ordered as in the catalog
 * @param file the catalog file (relative to the catalog directory) that defines the job
 * @param line the 1-based line of the job's name in {@code file}
 * @param retry whether failed attempts are retried; {@link RetryPolicy#none()} if the catalog has no retry section
 * @param timeouts {@link Timeouts#defaults()} if the catalog has no timeouts section
 * @param concurrency {@link ConcurrencyPolicy#defaults()} if the catalog has no concurrency section
 * @param monitor the job's heartbeat monitor; empty if the catalog gives none
 * @param secrets env name to the secret it comes from, insertion-ordered as in the catalog
 * @param schedule when the job runs by itself; empty if it only runs when triggered
 */
public record JobDefinition(
        String name,
        String description,
        Optional<Runtime> runtime,
        Optional<LocalTarget> local,
        Optional<EcsTarget> ecs,
        Map<String, ParamSpec> params,
        ExitCodePolicy exitCodes,
        String file,
        int line,
        RetryPolicy retry,
        Timeouts timeouts,
        ConcurrencyPolicy concurrency,
        Optional<MonitorSpec> monitor,
        Map<String, SecretRef> secrets,
        Optional<ScheduleSpec> schedule) {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public JobDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job name must match " + NAME.pattern() + ": " + name);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(ecs, "ecs");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        params.forEach((key, spec) -> {
            if (!key.equals(spec.name())) {
                throw new IllegalArgumentException("param key " + key + " holds the spec of " + spec.name());
            }
        });
        Objects.requireNonNull(exitCodes, "exitCodes");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(monitor, "monitor");
        secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
        EnvNames.requireValid(secrets.keySet());
        Objects.requireNonNull(schedule, "schedule");
        if (local.isEmpty() && ecs.isEmpty()) {
            throw new IllegalArgumentException(name + ": a job needs a local or an ecs target");
        }
        if (runtime.isPresent() && runtime.get() == Runtime.LOCAL && local.isEmpty()) {
            throw new IllegalArgumentException(name + ": runtime local needs a local target");
        }
        if (runtime.isPresent() && runtime.get() == Runtime.ECS && ecs.isEmpty()) {
            throw new IllegalArgumentException(name + ": runtime ecs needs an ecs target");
        }
    }

    /** The job's secrets with their placeholders filled from the run's params: env name to ARN. */
    public Map<String, String> resolvedSecrets(Map<String, String> params) {
        Map<String, String> resolved = new LinkedHashMap<>();
        secrets.forEach((name, ref) -> resolved.put(name, ref.resolve(params)));
        return resolved;
    }

    /** Validates and normalizes caller values; applies defaults. Throws InvalidParamsException listing every violation. */
    public BoundParams bind(Map<String, String> raw) {
        return ParamBinder.bind(params, raw);
    }
}
