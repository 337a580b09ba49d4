package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.Calendar;
import io.batchgate.catalog.jp1.ImportedCatalog.Edge;
import io.batchgate.catalog.jp1.ImportedCatalog.ExitCodes;
import io.batchgate.catalog.jp1.ImportedCatalog.Job;
import io.batchgate.catalog.jp1.ImportedCatalog.Member;
import io.batchgate.catalog.jp1.ImportedCatalog.Net;
import io.batchgate.catalog.jp1.ImportedCatalog.Schedule;
import io.batchgate.catalog.jp1.ImportedCatalog.When;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Maps parsed units to an {@link ImportedCatalog} and an {@link ImportReport}: job groups become name prefixes (and
 * calendars when they define open and closed days), each root jobnet a catalog file with its jobs and nets, nested
 * jobnets nets of their own, judgment and OR jobs edges where batchgate's edges can say the same, recovery units
 * failure edges. A jobnet whose flow cannot be said exactly is not written as a net (its jobs are), and the report
 * says why.
 */
public final class Jp1Importer {

    /** The import's outcome; {@link #catalog} is written by the writers. */
    public record Result(ImportedCatalog catalog, ImportReport report) {}

    private static final Set<String> NET_MAPPED = Set.of("ty", "cm", "sd", "st", "cy", "sh", "shd", "ed", "jc", "ar");
    private static final Set<String> LAYOUT = Set.of("el", "sz");
    private static final Map<String, String> NET_NOT_MAPPED = netNotMapped();
    private static final Set<String> JUDGMENT_MAPPED = Set.of("ty", "cm", "ej", "ejc");

    private final ImportReport report = new ImportReport();
    private final List<InputError> errors = new ArrayList<>();
    private final Names names = new Names();
    private final Numbers numbers = new Numbers(errors);
    private final JobMapper jobMapper;
    private final ScheduleMapper scheduleMapper;
    private final CalendarMapper calendarMapper;
    private final List<Job> jobs = new ArrayList<>();
    private final List<Net> nets = new ArrayList<>();
    private final List<Calendar> calendars = new ArrayList<>();
    /** Group path to its calendar's name. */
    private final Map<String, String> calendarOfGroup = new LinkedHashMap<>();

    public Jp1Importer(Options options) {
        this.jobMapper = new JobMapper(report, numbers);
        this.scheduleMapper = new ScheduleMapper(report, errors, options);
        this.calendarMapper = new CalendarMapper(report, errors);
    }

    /** Maps the top-level units of all files; throws {@link InputException} for values JP1 itself would refuse. */
    public Result map(List<Unit> tops) {
        Names calendarNames = new Names();
        for (Unit top : tops) {
            collectCalendars(top, "", calendarNames);
        }
        for (Unit top : tops) {
            walk(top, "", Optional.empty());
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        return new Result(new ImportedCatalog(jobs, nets, calendars), report);
    }

    private void collectCalendars(Unit unit, String prefix, Names calendarNames) {
        if (unit.type().kind() != UnitType.Kind.GROUP) {
            return;
        }
        String name = join(prefix, Names.sanitize(unit.name()));
        if (CalendarMapper.hasCalendar(unit)) {
            String calendarName = calendarNames.unique(name);
            calendarMapper.map(unit, calendarName).ifPresent(calendar -> {
                calendars.add(calendar);
                calendarOfGroup.put(unit.path(), calendarName);
            });
        }
        for (Unit child : unit.children()) {
            collectCalendars(child, name, calendarNames);
        }
    }

    private void walk(Unit unit, String prefix, Optional<String> calendar) {
        switch (unit.type().kind()) {
            case GROUP -> {
                String folder = join(prefix, Names.sanitize(unit.name()));
                Optional<String> own = Optional.ofNullable(calendarOfGroup.get(unit.path()));
                report.unit(
                        unit,
                        "folder " + folder + " (name prefix)"
                                + own.map(c -> "; calendar calendars/" + c + ".yaml")
                                        .orElse(""));
                ownership(unit);
                for (UnitParam param : unit.params()) {
                    switch (param.key()) {
                        case "ty", "op", "cl", "sdd", "md", "stt" -> {}
                        case "cm" -> report.ignored(unit, param, "a job group's comment has no place in the catalog");
                        default -> {
                            if (LAYOUT.contains(param.key())) {
                                report.ignored(unit, param, "icon layout of JP1/AJS3 - View");
                            } else {
                                report.unmapped(
                                        unit,
                                        param,
                                        param.key().startsWith("nc")
                                                ? "jobnet connector settings: batchgate has no connectors between"
                                                        + " nets"
                                                : param.key().equals("gty")
                                                        ? "planning group: batchgate has no planning groups"
                                                        : "not a job group field the importer knows");
                            }
                        }
                    }
                }
                Optional<String> inherited = own.or(() -> calendar);
                for (Unit child : unit.children()) {
                    walk(child, folder, inherited);
                }
            }
            case NET -> {
                String name = names.unique(join(prefix, Names.sanitize(unit.name())));
                net(unit, name, name, calendar, false);
            }
            case JOB -> {
                String name = names.unique(join(prefix, Names.sanitize(unit.name())));
                ownership(unit);
                jobs.add(jobMapper.map(unit, name, name, ""));
                report.unmapped(unit, "ty", "a job outside any jobnet: imported as a job without a net");
            }
            case JUDGMENT, OR -> report.unmapped(unit, "ty", "a judgment or OR job outside any jobnet has no meaning");
            case UNSUPPORTED -> {
                report.unit(unit, "nothing");
                report.unmapped(unit, "ty", unsupported(unit));
            }
        }
    }

    /** Imports a jobnet and what it contains; the net itself only if its whole flow can be said. */
    private Optional<Net> net(Unit unit, String name, String file, Optional<String> inherited, boolean nested) {
        ownership(unit);
        Optional<String> calendar = calendarOf(unit).or(() -> inherited);
        Names memberNames = new Names();
        Map<String, Member> members = new LinkedHashMap<>();
        Map<String, String> memberOf = new LinkedHashMap<>();
        Map<String, ExitCodes> normalCodes = new LinkedHashMap<>();
        Map<String, Unit> children = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        for (Unit child : unit.children()) {
            children.put(child.name(), child);
            String member = memberNames.unique(Names.sanitize(child.name()));
            switch (child.type().kind()) {
                case JOB -> {
                    ownership(child);
                    Job job = jobMapper.map(
                            child, names.unique(name + "-" + Names.sanitize(child.name())), file, unit.path());
                    jobs.add(job);
                    memberOf.put(child.name(), member);
                    normalCodes.put(child.name(), job.exitCodes().orElse(new ExitCodes(List.of(0), List.of())));
                    members.put(child.name(), new Member(member, Member.Kind.JOB, job.name(), List.of()));
                }
                case NET -> {
                    String nestedName = names.unique(name + "-" + Names.sanitize(child.name()));
                    if (net(child, nestedName, file, calendar, true).isPresent()) {
                        memberOf.put(child.name(), member);
                        // JP1 judges a jobnet's return value as 0
                        normalCodes.put(child.name(), new ExitCodes(List.of(0), List.of()));
                        members.put(child.name(), new Member(member, Member.Kind.NET, nestedName, List.of()));
                    }
                }
                case JUDGMENT, OR -> judgmentOrOrFields(child);
                case GROUP, UNSUPPORTED -> {
                    report.unit(child, "nothing");
                    report.unmapped(child, "ty", unsupported(child));
                }
            }
        }
        List<Arrow> arrows = arrows(unit, children);
        Map<String, List<Arrow>> incoming = new LinkedHashMap<>();
        arrows.forEach(
                a -> incoming.computeIfAbsent(a.to(), k -> new ArrayList<>()).add(a));
        List<Member> wired = new ArrayList<>();
        for (Map.Entry<String, Member> entry : members.entrySet()) {
            Unit child = children.get(entry.getKey());
            List<Edge> after = new ArrayList<>();
            for (Arrow arrow : incoming.getOrDefault(entry.getKey(), List.of())) {
                edge(arrow, child, children, incoming, memberOf, normalCodes)
                        .filter(e -> !after.contains(e))
                        .ifPresent(after::add);
                if (arrow.problem() != null) {
                    broken.add(arrow.problem());
                    report.unmapped(unit, arrow.param(), arrow.problem());
                }
            }
            Member member = entry.getValue();
            wired.add(new Member(member.name(), member.kind(), member.target(), after));
        }
        for (Arrow arrow : arrows) {
            Unit to = children.get(arrow.to());
            if (!members.containsKey(arrow.to())
                    && to.type().kind() != UnitType.Kind.JUDGMENT
                    && to.type().kind() != UnitType.Kind.OR) {
                report.unmapped(
                        unit,
                        arrow.param(),
                        "leads to " + arrow.to() + ", which is not moved; no moved member waits for it, so the"
                                + " rest of the net is written");
            }
        }
        for (UnitParam param : unit.params()) {
            if (NET_MAPPED.contains(param.key())) {
                continue;
            }
            if (LAYOUT.contains(param.key())) {
                report.ignored(unit, param, "icon layout of JP1/AJS3 - View");
            } else if (!(param.key().equals("ha") && param.text().equals("n"))) {
                report.unmapped(
                        unit, param, NET_NOT_MAPPED.getOrDefault(param.key(), "not a jobnet field the importer knows"));
            }
        }
        if (unit.param("jc").isPresent() && calendarOf(unit).isEmpty()) {
            report.unmapped(
                    unit,
                    unit.param("jc").orElseThrow(),
                    "no job group " + unit.param("jc").orElseThrow().text()
                            + " with open or closed days in the input; the enclosing group's calendar is used");
        }
        Optional<Schedule> schedule = scheduleMapper.map(unit, calendar, nested);
        if (wired.isEmpty()) {
            broken.add("no member is moved");
            report.unmapped(unit, "ty", "the jobnet has no member batchgate can run: no net is written");
        }
        if (!broken.isEmpty()) {
            report.unit(unit, "no net (its flow is not moved: see the findings); its jobs are");
            return Optional.empty();
        }
        String description = unit.param("cm").map(UnitParam::text).orElse("JP1 " + unit.path());
        Net net = new Net(name, file, unit, description, wired, schedule);
        nets.add(net);
        report.unit(unit, "net " + name + schedule.map(s -> " with a schedule").orElse(""));
        return Optional.of(net);
    }

    /** One {@code ar=(f=...,t=...,type)}; {@code problem} is set when it cannot become an edge. */
    private static final class Arrow {
        private final String from;
        private final String to;
        private final boolean conditional;
        private final UnitParam param;
        private String problem;

        Arrow(String from, String to, boolean conditional, UnitParam param) {
            this.from = from;
            this.to = to;
            this.conditional = conditional;
            this.param = param;
        }

        String from() {
            return from;
        }

        String to() {
            return to;
        }

        UnitParam param() {
            return param;
        }

        String problem() {
            return problem;
        }
    }

    private List<Arrow> arrows(Unit net, Map<String, Unit> children) {
        List<Arrow> arrows = new ArrayList<>();
        for (UnitParam param : net.all("ar")) {
            String from = null;
            String to = null;
            String type = "seq";
            boolean ok = true;
            for (String part : AjsValues.split(AjsValues.unwrap(param.raw()))) {
                String text = AjsValues.unquote(part).trim();
                if (text.startsWith("f=")) {
                    from = text.substring(2).trim();
                } else if (text.startsWith("t=")) {
                    to = text.substring(2).trim();
                } else if (text.equals("seq") || text.equals("con")) {
                    type = text;
                } else {
                    ok = false;
                }
            }
            if (!ok || from == null || to == null) {
                errors.add(new InputError(
                        net.file(),
                        param.line(),
                        param.valueColumn(),
                        "ar=" + param.raw() + " of unit " + net.path() + " is not (f=unit,t=unit[,seq|con])"));
                continue;
            }
            for (String end : List.of(from, to)) {
                if (!children.containsKey(end)) {
                    errors.add(new InputError(
                            net.file(),
                            param.line(),
                            param.valueColumn(),
                            "ar=" + param.raw() + " of unit " + net.path() + " names " + end
                                    + ", which is not a unit of the jobnet"));
                    ok = false;
                }
            }
            if (ok) {
                arrows.add(new Arrow(from, to, type.equals("con"), param));
            }
        }
        return arrows;
    }

    /**
     * The edge an arrow into a moved member becomes. Through a judgment job it is an edge from the judged unit
     * (success or warning, when the judgment picks exactly those codes); through an OR job with one predecessor an
     * edge from that predecessor.
     */
    private Optional<Edge> edge(
            Arrow arrow,
            Unit to,
            Map<String, Unit> children,
            Map<String, List<Arrow>> incoming,
            Map<String, String> memberOf,
            Map<String, ExitCodes> normalCodes) {
        Unit from = children.get(arrow.from());
        When plain = to.type().recovery() ? When.FAILURE : When.SUCCESS;
        switch (from.type().kind()) {
            case JOB, NET -> {
                if (!memberOf.containsKey(from.name())) {
                    arrow.problem = "waits for " + from.name() + ", which is not moved";
                    return Optional.empty();
                }
                if (arrow.conditional) {
                    arrow.problem = "a con relation from " + from.name() + ", which is not a judgment job";
                    return Optional.empty();
                }
                return Optional.of(new Edge(memberOf.get(from.name()), plain));
            }
            case JUDGMENT -> {
                Optional<Unit> judged = single(from, incoming, children, arrow);
                if (judged.isEmpty()) {
                    return Optional.empty();
                }
                String judgedMember = memberOf.get(judged.get().name());
                if (from.type().recovery() || to.type().recovery()) {
                    arrow.problem = "a judgment job combined with recovery units has no catalog form";
                    return Optional.empty();
                }
                if (!arrow.conditional) {
                    return Optional.of(new Edge(judgedMember, When.SUCCESS));
                }
                return judgment(from, judged.get(), normalCodes.get(judged.get().name()), arrow)
                        .map(when -> new Edge(judgedMember, when));
            }
            case OR -> {
                Optional<Unit> only = single(from, incoming, children, arrow);
                if (only.isEmpty()) {
                    return Optional.empty();
                }
                if (from.type().recovery() || to.type().recovery()) {
                    arrow.problem = "an OR job combined with recovery units has no catalog form";
                    return Optional.empty();
                }
                return Optional.of(new Edge(memberOf.get(only.get().name()), When.SUCCESS));
            }
            default -> {
                arrow.problem =
                        "waits for " + from.name() + " (ty=" + from.type().code() + "), which is not moved";
                return Optional.empty();
            }
        }
    }

    /** The one moved job or net before a judgment or OR job. */
    private Optional<Unit> single(
            Unit control, Map<String, List<Arrow>> incoming, Map<String, Unit> children, Arrow arrow) {
        List<Arrow> before = incoming.getOrDefault(control.name(), List.of());
        if (before.size() != 1) {
            arrow.problem = (control.type().kind() == UnitType.Kind.OR
                    ? "OR job " + control.name() + " waits for any of " + before.size()
                            + " units; batchgate's joins wait for all"
                    : "judgment job " + control.name() + " has " + before.size()
                            + " preceding units; it judges exactly one");
            return Optional.empty();
        }
        Unit judged = children.get(before.get(0).from());
        if (judged.type().kind() != UnitType.Kind.JOB && judged.type().kind() != UnitType.Kind.NET
                || judged.type().recovery()
                || before.get(0).conditional) {
            arrow.problem = control.name() + " follows " + judged.name() + " (ty="
                    + judged.type().code() + "): only a plain job or jobnet before a judgment or OR job is moved";
            return Optional.empty();
        }
        return Optional.of(judged);
    }

    /**
     * A judgment job's condition as an edge: JP1 only reaches the judgment when the judged unit ended normally, so the
     * condition matters on the judged unit's normal codes. If it picks all of them the edge is a plain success edge; if
     * it picks exactly its warning codes, a warning edge; anything else has no catalog form.
     */
    private Optional<When> judgment(Unit judgment, Unit judged, ExitCodes codes, Arrow arrow) {
        String ej = judgment.param("ej").map(UnitParam::text).orElse("gt").trim();
        Optional<Long> reference =
                numbers.read(judgment, "ejc", Integer.MIN_VALUE, JobMapper.MAX_RETRY_CODE, "a return code");
        long value = reference.orElse(0L);
        IntPredicate condition =
                switch (ej) {
                    case "gt" -> c -> c > value;
                    case "ge" -> c -> c >= value;
                    case "lt" -> c -> c < value;
                    case "le" -> c -> c <= value;
                    case "eq" -> c -> c == value;
                    case "ne" -> c -> c != value;
                    default -> null;
                };
        if (condition == null) {
            arrow.problem = "judgment job " + judgment.name() + " judges with ej=" + ej
                    + " (a range, a file or a variable), which no edge can say";
            return Optional.empty();
        }
        List<Integer> normal = new ArrayList<>(codes.success());
        normal.addAll(codes.warning());
        List<Integer> picked = normal.stream().filter(c -> condition.test(c)).toList();
        if (picked.size() == normal.size()) {
            return Optional.of(When.SUCCESS);
        }
        if (!codes.warning().isEmpty() && picked.equals(codes.warning())) {
            return Optional.of(When.WARNING);
        }
        arrow.problem = "judgment job " + judgment.name() + " (ej=" + ej + ", ejc=" + value + ") picks codes "
                + ranges(picked) + " of " + judged.name() + "'s normal codes " + ranges(normal)
                + "; batchgate's edges follow a normal end, a warning or a failure only";
        return Optional.empty();
    }

    private static String ranges(List<Integer> codes) {
        if (codes.isEmpty()) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        int start = codes.get(0);
        int previous = start;
        for (int i = 1; i <= codes.size(); i++) {
            if (i < codes.size() && codes.get(i) == previous + 1) {
                previous = codes.get(i);
                continue;
            }
            parts.add(start == previous ? String.valueOf(start) : start + "-" + previous);
            if (i < codes.size()) {
                start = codes.get(i);
                previous = start;
            }
        }
        return String.join(",", parts);
    }

    private void judgmentOrOrFields(Unit unit) {
        ownership(unit);
        report.unit(unit, "an edge of its net (when its net is written)");
        Set<String> mapped = unit.type().kind() == UnitType.Kind.JUDGMENT ? JUDGMENT_MAPPED : Set.of("ty", "cm");
        for (UnitParam param : unit.params()) {
            if (!mapped.contains(param.key())
                    && !(param.key().equals("ha") && param.text().equals("n"))) {
                report.unmapped(
                        unit,
                        param,
                        param.key().equals("ha")
                                ? "hold: batchgate nets have no hold"
                                : "judgment by " + param.key() + ": only ej with ejc (a return code) is moved");
            }
        }
    }

    private Optional<String> calendarOf(Unit net) {
        Optional<UnitParam> jc = net.param("jc");
        if (jc.isEmpty()) {
            return Optional.empty();
        }
        String path = jc.get().text().trim();
        return calendarOfGroup.entrySet().stream()
                .filter(e -> path.equals(e.getKey()) || path.endsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Owner and resource group say who may touch the unit in JP1; batchgate's token scopes do that. */
    private void ownership(Unit unit) {
        if (!unit.owner().isEmpty()
                || !unit.resourceGroup().isEmpty()
                || !unit.permission().isEmpty()) {
            report.ignored(
                    unit,
                    "unit=",
                    "permission mode, JP1 user and resource group (" + unit.permission() + "," + unit.owner() + ","
                            + unit.resourceGroup() + "): access in batchgate is its token scopes");
        }
    }

    private static String unsupported(Unit unit) {
        return switch (unit.type().kind()) {
            case GROUP -> "a job group inside a jobnet";
            default ->
                "ty=" + unit.type().code() + " ("
                        + unit.type().name().toLowerCase().replace('_', ' ') + ") has no batchgate equivalent";
        };
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "-" + name;
    }

    private static Map<String, String> netNotMapped() {
        Map<String, String> why = new LinkedHashMap<>();
        why.put(
                "sy",
                "start-delay monitoring: batchgate reports a schedule fire that produced no run (grace), not a"
                        + " late start");
        why.put("ey", "end-delay monitoring: no equivalent");
        why.put("ln", "a nested jobnet's link to its parent's schedule rule: nested nets run when reached");
        why.put("wt", "start condition wait time: start conditions are not moved");
        why.put("wc", "start condition wait count: start conditions are not moved");
        why.put("cftd", "schedule by days from the start: no catalog form");
        why.put("rg", "execution order control of the jobnet's generations: no equivalent");
        why.put("pr", "priority: batchgate has no priorities");
        why.put("ni", "no catalog form");
        why.put("ha", "hold: batchgate nets have no hold; pause the net's schedule after the import if it was held");
        why.put("ejn", "exclusive jobnet: use concurrency on the jobs, or one net");
        why.put("cd", "concurrent execution setting: the net keeps the catalog's default overlap (allow)");
        why.put("de", "no catalog form");
        why.put("ms", "multi-schedule option: no catalog form");
        why.put("mp", "no catalog form");
        why.put("rh", "execution manager: not applicable");
        why.put("ex", "execution agent: the jobs run on batchgate runners or ECS");
        why.put("fd", "time required for execution: no end-delay alert in batchgate");
        for (String key : List.of("ncl", "ncn", "ncs", "ncex", "nchn", "ncsv")) {
            why.put(key, "jobnet connector: no connectors between nets in batchgate");
        }
        for (String wait : List.of("mm", "nmg", "eun", "ega", "uem")) {
            why.put(wait, "wait condition on another unit's end: batchgate nets wait only on members of the same net");
        }
        return why;
    }
}
