package io.batchgate.catalog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Reads the {@code nets} of one catalog file and checks each net on its own: edges to members
 * that do not exist, cycles, members no edge can reach, references to undeclared net parameters.
 * What needs the whole catalog (do the jobs and nested nets exist) is {@link #checkTargets}'s.
 */
final class NetDefinitionReader {

    static final List<String> NET_KEYS = List.of("description", "params", "concurrency", "members", "schedule");
    static final List<String> MEMBER_KEYS =
            List.of("description", "job", "net", "params", "after", "afterWarning", "afterFailure");
    static final List<String> OVERLAPS = List.of(Overlap.ALLOW.id(), Overlap.FORBID.id());

    private final Problems problems;
    private final Map<String, String> defined;
    private final Map<String, BusinessCalendar> calendars;

    /**
     * @param defined net name to the {@code file:line} that first defined it, across all files
     * @param calendars the catalog's calendars by name, for schedules
     */
    NetDefinitionReader(Problems problems, Map<String, String> defined, Map<String, BusinessCalendar> calendars) {
        this.problems = problems;
        this.defined = defined;
        this.calendars = calendars;
    }

    List<NetDefinition> read(MappingReader nets) {
        List<NetDefinition> read = new ArrayList<>();
        for (LocatedNode.Entry entry : nets.entries()) {
            readNet(nets, entry).ifPresent(read::add);
        }
        return read;
    }

    private Optional<NetDefinition> readNet(MappingReader nets, LocatedNode.Entry entry) {
        String name = entry.key();
        String field = nets.field(name);
        int before = problems.errorCount();
        if (!JobDefinition.NAME.matcher(name).matches()) {
            problems.error(entry.keyLine(), field, "net name must match " + JobDefinition.NAME.pattern());
        }
        String first = defined.putIfAbsent(name, problems.file() + ":" + entry.keyLine());
        if (first != null) {
            problems.error(entry.keyLine(), field, "duplicate net name, already defined at " + first);
        }
        Optional<MappingReader> net = MappingReader.of(entry.value(), field, entry.keyLine(), problems, NET_KEYS);
        if (net.isEmpty()) {
            return Optional.empty();
        }
        String description = net.get().string("description").orElse("");
        Map<String, ParamSpec> params = net.get()
                .mapping("params", List.of())
                .map(p -> ParamSpecReader.read(p, false))
                .orElse(Map.of());
        params.values().stream().filter(ParamSpec::secret).forEach(secret -> net.get()
                .error(
                        "params",
                        "param " + secret.name() + ": a net's params cannot be secret (members' secrets come from"
                                + " their job's secrets:)"));
        Overlap overlap = net.get()
                .mapping("concurrency", List.of("overlap"))
                .flatMap(c -> c.oneOf("overlap", OVERLAPS))
                .flatMap(Overlap::fromId)
                .orElse(Overlap.ALLOW);
        Optional<ScheduleSpec> schedule = net.get()
                .mapping("schedule", ScheduleReader.KEYS)
                .flatMap(s -> ScheduleReader.read(
                        s, new ScheduleSpec.Target(ScheduleSpec.Target.Kind.NET, name), params.keySet(), calendars));
        Map<String, NetMember> members = new LinkedHashMap<>();
        if (!net.get().has("members")) {
            net.get().missing("members");
        }
        net.get().mapping("members", List.of()).ifPresent(all -> {
            if (all.entries().isEmpty()) {
                all.problems().error(all.line(), all.path(), "must name at least one member");
            }
            for (LocatedNode.Entry member : all.entries()) {
                readMember(all, member, params.keySet()).ifPresent(m -> members.put(m.name(), m));
            }
        });
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        MappingReader membersReader = net.get().mapping("members", List.of()).orElseThrow();
        checkGraph(membersReader, members);
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new NetDefinition(
                name, description, params, members, overlap, schedule, problems.file(), entry.keyLine()));
    }

    private Optional<NetMember> readMember(MappingReader members, LocatedNode.Entry entry, Set<String> netParams) {
        String name = entry.key();
        String field = members.field(name);
        int before = problems.errorCount();
        if (!JobDefinition.NAME.matcher(name).matches()) {
            problems.error(entry.keyLine(), field, "member name must match " + JobDefinition.NAME.pattern());
        }
        Optional<MappingReader> member = MappingReader.of(entry.value(), field, entry.keyLine(), problems, MEMBER_KEYS);
        if (member.isEmpty()) {
            return Optional.empty();
        }
        MappingReader m = member.get();
        Optional<String> job = m.nonEmptyString("job");
        Optional<String> net = m.nonEmptyString("net");
        if (m.has("job") == m.has("net")) {
            problems.error(entry.keyLine(), field, "must name exactly one of job, net");
        }
        Map<String, String> params = new LinkedHashMap<>();
        m.mapping("params", List.of()).ifPresent(p -> {
            for (LocatedNode.Entry param : p.entries()) {
                String paramField = p.field(param.key());
                if (!(param.value() instanceof LocatedNode.Scalar scalar) || scalar.kind() == LocatedNode.Kind.NULL) {
                    problems.error(
                            param.keyLine(),
                            paramField,
                            "must be a value, found " + param.value().describe());
                    continue;
                }
                Matcher reference = NetMember.REFERENCE.matcher(scalar.text());
                while (reference.find()) {
                    if (!netParams.contains(reference.group(1))) {
                        problems.error(
                                param.keyLine(),
                                paramField,
                                "references ${" + reference.group(1) + "}, which is not a parameter of the net");
                    }
                }
                params.put(param.key(), scalar.text());
            }
        });
        List<NetEdge> after = new ArrayList<>();
        for (NetCondition condition : NetCondition.values()) {
            m.strings(condition.key(), true).ifPresent(froms -> {
                for (String from : froms) {
                    after.add(new NetEdge(from, condition));
                }
            });
        }
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        NetMember.Kind kind = job.isPresent() ? NetMember.Kind.JOB : NetMember.Kind.NET;
        return Optional.of(new NetMember(name, kind, job.or(() -> net).orElseThrow(), params, after, entry.keyLine()));
    }

    /** Edges to nowhere, edges that can never all hold, cycles, and members no edge reaches. */
    private void checkGraph(MappingReader reader, Map<String, NetMember> members) {
        for (NetMember member : members.values()) {
            Map<String, Set<NetCondition>> byPredecessor = new LinkedHashMap<>();
            for (NetEdge edge : member.after()) {
                String field = reader.field(member.name()) + "." + edge.when().key();
                if (!members.containsKey(edge.from())) {
                    problems.error(
                            member.line(),
                            field,
                            "edge from '" + edge.from() + "', which is not a member of the net (members: "
                                    + String.join(", ", members.keySet()) + ")");
                } else if (edge.from().equals(member.name())) {
                    problems.error(member.line(), field, "a member cannot wait for itself");
                }
                byPredecessor
                        .computeIfAbsent(edge.from(), k -> java.util.EnumSet.noneOf(NetCondition.class))
                        .add(edge.when());
            }
            byPredecessor.forEach((from, conditions) -> {
                if (conditions.contains(NetCondition.FAILURE) && conditions.size() > 1) {
                    problems.error(
                            member.line(),
                            reader.field(member.name()),
                            "waits for '" + from + "' to fail and to end normally: it can never start");
                }
            });
        }
        if (problems.errorCount() > 0) {
            return;
        }
        // Kahn's algorithm: what is left once every member whose predecessors are all placed is
        // placed lies on a cycle or waits for one
        Map<String, Integer> waiting = new LinkedHashMap<>();
        members.values()
                .forEach(m -> waiting.put(m.name(), (int)
                        m.after().stream().map(NetEdge::from).distinct().count()));
        Deque<String> ready = new ArrayDeque<>();
        waiting.forEach((name, count) -> {
            if (count == 0) {
                ready.add(name);
            }
        });
        Set<String> placed = new HashSet<>();
        while (!ready.isEmpty()) {
            String next = ready.poll();
            placed.add(next);
            for (NetMember successor : successorsOf(members, next)) {
                if (waiting.merge(successor.name(), -1, Integer::sum) == 0) {
                    ready.add(successor.name());
                }
            }
        }
        Set<String> cyclic = new LinkedHashSet<>(members.keySet());
        cyclic.removeAll(placed);
        for (String name : cyclic) {
            NetMember member = members.get(name);
            boolean onCycle = reaches(members, name, name);
            problems.error(
                    member.line(),
                    reader.field(name),
                    onCycle
                            ? "edges form a cycle through " + String.join(" -> ", cycleFrom(members, name))
                            : "unreachable: it waits for members on a cycle");
        }
    }

    private static List<NetMember> successorsOf(Map<String, NetMember> members, String name) {
        return members.values().stream()
                .filter(m -> m.after().stream().anyMatch(e -> e.from().equals(name)))
                .distinct()
                .toList();
    }

    private static boolean reaches(Map<String, NetMember> members, String from, String to) {
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            for (NetMember next : successorsOf(members, todo.poll())) {
                if (next.name().equals(to)) {
                    return true;
                }
                if (seen.add(next.name())) {
                    todo.add(next.name());
                }
            }
        }
        return false;
    }

    /** A path {@code a -> b -> ... -> a} of predecessors, for the message. */
    private static List<String> cycleFrom(Map<String, NetMember> members, String start) {
        List<String> path = new ArrayList<>(List.of(start));
        String current = start;
        Set<String> seen = new HashSet<>(path);
        while (true) {

            Optional<String> next = members.get(current).after().stream()
                    .map(NetEdge::from)
                    .filter(p -> p.equals(start) || reaches(members, start, p))
                    .findFirst();
            if (next.isEmpty()) {
                return path;
            }
            path.add(next.get());
            if (!seen.add(next.get())) {
                return path;
            }
            current = next.get();
        }
    }

    /**
     * The checks that need every file: a member's job or net exists, the job declares the
     * parameters the member sets, and nets do not contain themselves through nested nets.
     */
    static void checkTargets(
            Map<String, NetDefinition> nets, Map<String, JobDefinition> jobs, List<CatalogProblem> errors) {
        for (NetDefinition net : nets.values()) {
            // a schedule is named after its target (fire ledger, API, pause): one name, one schedule
            net.schedule().ifPresent(schedule -> Optional.ofNullable(jobs.get(net.name()))
                    .flatMap(JobDefinition::schedule)
                    .ifPresent(jobSchedule -> errors.add(new CatalogProblem(
                            schedule.file(),
                            schedule.line(),
                            "nets." + net.name() + ".schedule",
                            "the job " + net.name() + " has a schedule too (" + jobSchedule.file() + ":"
                                    + jobSchedule.line() + "); schedules are named after their target, rename"
                                    + " the net or the job"))));
            for (NetMember member : net.members().values()) {
                String field = "nets." + net.name() + ".members." + member.name();
                switch (member.kind()) {
                    case JOB -> {
                        JobDefinition job = jobs.get(member.target());
                        if (job == null) {
                            errors.add(new CatalogProblem(
                                    net.file(),
                                    member.line(),
                                    field + ".job",
                                    "no job '" + member.target() + "' in the catalog"));
                            continue;
                        }
                        for (String param : member.params().keySet()) {
                            ParamSpec spec = job.params().get(param);
                            if (spec == null) {
                                errors.add(new CatalogProblem(
                                        net.file(),
                                        member.line(),
                                        field + ".params." + param,
                                        "job " + job.name() + " has no parameter " + param));
                            } else if (spec.secret()) {
                                // a member's values are stored and served in clear with its net run
                                // (and a literal one sits in git): secrets never travel that way
                                errors.add(new CatalogProblem(
                                        net.file(),
                                        member.line(),
                                        field + ".params." + param,
                                        "parameter " + param + " of job " + job.name() + " is secret: a net"
                                                + " cannot set it (net runs keep their members' values in"
                                                + " clear); give the job a secrets: reference instead"));
                            }
                        }
                    }
                    case NET -> {
                        NetDefinition nested = nets.get(member.target());
                        if (nested == null) {
                            errors.add(new CatalogProblem(
                                    net.file(),
                                    member.line(),
                                    field + ".net",
                                    "no net '" + member.target() + "' in the catalog"));
                        } else if (contains(nets, nested, net.name(), new HashSet<>())) {
                            errors.add(new CatalogProblem(
                                    net.file(),
                                    member.line(),
                                    field + ".net",
                                    "net " + nested.name() + " contains net " + net.name() + ": nets cannot nest"
                                            + " in a cycle"));
                        }
                    }
                }
            }
        }
    }

    private static boolean contains(
            Map<String, NetDefinition> nets, NetDefinition net, String wanted, Set<String> seen) {
        if (net.name().equals(wanted)) {
            return true;
        }
        if (!seen.add(net.name())) {
            return false;
        }
        for (NetMember member : net.members().values()) {
            if (member.kind() == NetMember.Kind.NET) {
                NetDefinition nested = nets.get(member.target());
                if (nested != null && contains(nets, nested, wanted, seen)) {
                    return true;
                }
            }
        }
        return false;
    }
}
