package io.batchgate.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code jobs} of one catalog file; job names must be unique across files, so they are shared. */
final class JobDefinitionReader {

    static final List<String> ROOT_KEYS = List.of("jobs", "nets");
    static final List<String> JOB_KEYS = List.of(
            "description",
            "runtime",
            "local",
            "ecs",
            "params",
            "exitCodes",
            "retry",
            "timeouts",
            "concurrency",
            "monitor",
            "secrets",
            "schedule");
    static final List<String> RUNTIMES = List.of("local", "ecs");

    private final Problems problems;
    /** Job name to the {@code file:line} that first defined it, across all files of the load. */
    private final Map<String, String> defined;
    /** Net name to the {@code file:line} that first defined it, across all files of the load. */
    private final Map<String, String> definedNets;
    /** The catalog's calendars by name, for schedules. */
    private final Map<String, BusinessCalendar> calendars;

    private final List<NetDefinition> nets = new ArrayList<>();

    JobDefinitionReader(
            Problems problems,
            Map<String, String> defined,
            Map<String, String> definedNets,
            Map<String, BusinessCalendar> calendars) {
        this.problems = problems;
        this.defined = defined;
        this.definedNets = definedNets;
        this.calendars = calendars;
    }

    /** The nets of the file, once {@link #read} has read it. */
    List<NetDefinition> nets() {
        return List.copyOf(nets);
    }

    List<JobDefinition> read(LocatedNode root) {
        if (!(root instanceof LocatedNode.Mapping)
                && !(root instanceof LocatedNode.Scalar s && s.kind() == LocatedNode.Kind.NULL)) {
            problems.error(
                    root.line(), "(document)", "must be a mapping with the key jobs or nets, found " + root.describe());
            return List.of();
        }
        Optional<MappingReader> file = MappingReader.of(root, "", 1, problems, ROOT_KEYS);
        if (file.isEmpty()) {
            return List.of();
        }
        file.get()
                .mapping("nets", List.of())
                .ifPresent(all -> nets.addAll(new NetDefinitionReader(problems, definedNets, calendars).read(all)));
        if (!file.get().has("jobs")) {
            if (!file.get().has("nets")) {
                file.get().missing("jobs");
            }
            return List.of();
        }
        List<JobDefinition> jobs = new ArrayList<>();
        file.get().mapping("jobs", List.of()).ifPresent(all -> {
            for (LocatedNode.Entry entry : all.entries()) {
                readJob(all, entry).ifPresent(jobs::add);
            }
        });
        return jobs;
    }

    private Optional<JobDefinition> readJob(MappingReader jobs, LocatedNode.Entry entry) {
        String name = entry.key();
        String field = jobs.field(name);
        int before = problems.errorCount();
        if (!JobDefinition.NAME.matcher(name).matches()) {
            problems.error(entry.keyLine(), field, "job name must match " + JobDefinition.NAME.pattern());
        }
        String here = problems.file() + ":" + entry.keyLine();
        String first = defined.putIfAbsent(name, here);
        if (first != null) {
            problems.error(entry.keyLine(), field, "duplicate job name, already defined at " + first);
        }
        Optional<MappingReader> job = MappingReader.of(entry.value(), field, entry.keyLine(), problems, JOB_KEYS);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        return readJob(name, entry.keyLine(), job.get(), before);
    }

    private Optional<JobDefinition> readJob(String name, int line, MappingReader job, int before) {
        String description = job.string("description").orElse("");
        Optional<Runtime> runtime = job.oneOf("runtime", RUNTIMES).flatMap(Runtime::fromId);
        boolean onEcs = job.has("ecs") && runtime.orElse(Runtime.ECS) == Runtime.ECS;
        Map<String, ParamSpec> params = job.mapping("params", List.of())
                .map(p -> ParamSpecReader.read(p, onEcs))
                .orElse(Map.of());
        Optional<LocalTarget> local =
                job.mapping("local", LocalTargetReader.KEYS).flatMap(l -> LocalTargetReader.read(l, params.keySet()));
        Optional<EcsTarget> ecs =
                job.mapping("ecs", EcsTargetReader.KEYS).flatMap(e -> EcsTargetReader.read(e, params.keySet()));
        ExitCodePolicy exitCodes = job.mapping("exitCodes", ExitCodesReader.KEYS)
                .flatMap(ExitCodesReader::read)
                .orElse(ExitCodePolicy.defaults());
        RetryPolicy retry = job.mapping("retry", RetryPolicyReader.KEYS)
                .flatMap(RetryPolicyReader::read)
                .orElse(RetryPolicy.none());
        Timeouts timeouts = job.mapping("timeouts", TimeoutsReader.KEYS)
                .flatMap(t -> TimeoutsReader.read(t, onEcs))
                .orElse(Timeouts.defaults());
        ConcurrencyPolicy concurrency = job.mapping("concurrency", ConcurrencyReader.KEYS)
                .flatMap(ConcurrencyReader::read)
                .orElse(ConcurrencyPolicy.defaults());
        Optional<MonitorSpec> monitor =
                job.mapping("monitor", MonitorReader.KEYS).flatMap(MonitorReader::read);
        Set<String> fixedEnv = new HashSet<>();
        local.ifPresent(l -> fixedEnv.addAll(l.env().keySet()));
        ecs.ifPresent(e -> fixedEnv.addAll(e.env().keySet()));
        Map<String, SecretRef> secrets =
                SecretsReader.read(job, params, fixedEnv).orElse(Map.of());
        Optional<ScheduleSpec> schedule = job.mapping("schedule", ScheduleReader.KEYS)
                .flatMap(s -> ScheduleReader.read(s, ScheduleSpec.Target.job(name), params.keySet(), calendars));
        if (!job.has("local") && !job.has("ecs")) {
            problems.error(line, job.path(), "must define at least one of local, ecs");
        }
        runtime.ifPresent(r -> {
            if (!job.has(r.id())) {
                job.error("runtime", "runtime " + r.id() + " is set but the job has no " + r.id() + " section");
            }
        });
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        if (onEcs && ecs.isPresent()) {
            int worstCase = worstCaseOverridesLength(name, ecs.get(), params.values());
            if (worstCase > MAX_ECS_OVERRIDES) {
                problems.warning(
                        job.entry("ecs").orElseThrow().keyLine(),
                        job.field("ecs"),
                        "with every parameter at its maxLength the container overrides would be about " + worstCase
                                + " characters of JSON; ECS accepts " + MAX_ECS_OVERRIDES
                                + ", so such triggers will be refused (lower the maxLength of string params)");
            }
        }
        return Optional.of(new JobDefinition(
                name,
                description,
                runtime,
                local,
                ecs,
                params,
                exitCodes,
                problems.file(),
                line,
                retry,
                timeouts,
                concurrency,
                monitor,
                secrets,
                schedule));
    }

    /** ECS refuses RunTask overrides longer than this many characters of JSON. */
    static final int MAX_ECS_OVERRIDES = 8192;

    /**
     * An upper estimate of the overrides JSON of this job's RunTask: every parameter at its
     * longest (free-form strings doubled, as JSON may escape each character), the fixed env, the
     * command and batchgate's own variables (BATCHGATE_RUN_ID, BATCHGATE_JOB, BATCHGATE_ATTEMPT).
     */
    static int worstCaseOverridesLength(String job, EcsTarget ecs, Iterable<ParamSpec> params) {
        int length = 120 + ecs.container().length();
        for (ParamSpec param : params) {
            int value =
                    switch (param.type()) {
                        case INT -> 11;
                        case BOOL -> 5;
                        case DATE -> 10;
                        case ENUM ->
                            param.values().stream()
                                    .mapToInt(String::length)
                                    .max()
                                    .orElse(0);
                        case STRING -> param.pattern().isPresent() ? param.maxLength() : 2 * param.maxLength();
                    };
            length += entryLength(param.name(), Math.min(value, param.maxLength() * 2));
        }
        for (Map.Entry<String, String> fixed : ecs.env().entrySet()) {
            length += entryLength(fixed.getKey(), 2 * fixed.getValue().length());
        }
        length += entryLength("BATCHGATE_RUN_ID", 36)
                + entryLength("BATCHGATE_JOB", job.length())
                + entryLength("BATCHGATE_ATTEMPT", 2);
        for (String part : ecs.command()) {
            length += 3 + 2 * part.length();
        }
        length += ecs.taskRole().map(String::length).orElse(0)
                + ecs.executionRole().map(String::length).orElse(0);
        return length;
    }

    /** {"name":"N","value":"V"}, */
    private static int entryLength(String name, int valueLength) {
        return 23 + name.length() + valueLength;
    }
}
