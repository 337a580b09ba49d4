package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.DayRule;
import io.batchgate.catalog.jp1.ImportedCatalog.Schedule;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a root jobnet's schedule rules ({@code sd}, {@code st}, {@code cy}, {@code sh}, {@code shd}, {@code ed},
 * {@code jc}) into one catalog schedule. JP1 numbers its rules ({@code sd=1,...; sd=2,...}); the catalog has one
 * schedule per net with several start times, so rules that differ only in their start time (or only in the weekday) are
 * merged, and any other rule is reported.
 */
final class ScheduleMapper {

    private static final Pattern RULE = Pattern.compile("(?:([0-9]{1,3}),)?\\s*(.*)", Pattern.DOTALL);
    private static final Pattern DATE = Pattern.compile("([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})");
    private static final Pattern TIME = Pattern.compile("(\\+)?([0-9]{1,2}):([0-9]{2})");
    private static final Pattern CYCLE = Pattern.compile("\\(\\s*([0-9]{1,3})\\s*,\\s*([ymwd])\\s*\\)");
    private static final Map<String, DayOfWeek> WEEKDAYS = Map.of(
            "su", DayOfWeek.SUNDAY,
            "mo", DayOfWeek.MONDAY,
            "tu", DayOfWeek.TUESDAY,
            "we", DayOfWeek.WEDNESDAY,
            "th", DayOfWeek.THURSDAY,
            "fr", DayOfWeek.FRIDAY,
            "sa", DayOfWeek.SATURDAY);

    /** The catalog's {@code businessDay} goes from -23 to 23. */
    static final int MAX_BUSINESS_DAY = 23;

    private final ImportReport report;
    private final List<InputError> errors;
    private final Options options;

    ScheduleMapper(ImportReport report, List<InputError> errors, Options options) {
        this.report = report;
        this.errors = errors;
        this.options = options;
    }

    /** One JP1 schedule rule, by its number. */
    private static final class Rule {
        UnitParam sd;
        UnitParam st;
        UnitParam cy;
        UnitParam sh;
        UnitParam shd;
    }

    /** What a rule maps to, or why it does not. */
    private record Mapped(
            DayRule days,
            String at,
            Optional<String> ifClosed,
            boolean needsCalendar,
            Optional<LocalDate> from,
            Optional<LocalDate> until) {}

    /**
     * @param calendar the calendar the net follows ({@code jc}, or its nearest job group's), if any
     * @param nested whether the net is nested in another (its schedule is its parent's, {@code ud})
     */
    Optional<Schedule> map(Unit net, Optional<String> calendar, boolean nested) {
        TreeMap<Integer, Rule> rules = new TreeMap<>();
        for (UnitParam param : net.params()) {
            switch (param.key()) {
                case "sd" -> rule(rules, param).ifPresent(r -> r.sd = param);
                case "st" -> rule(rules, param).ifPresent(r -> r.st = param);
                case "cy" -> rule(rules, param).ifPresent(r -> r.cy = param);
                case "sh" -> rule(rules, param).ifPresent(r -> r.sh = param);
                case "shd" -> rule(rules, param).ifPresent(r -> r.shd = param);
                default -> {}
            }
        }
        Optional<LocalDate> until =
                net.param("ed").flatMap(ed -> date(net, ed, ed.text().trim()));
        if (nested) {
            for (Rule rule : rules.values()) {
                for (UnitParam param : present(rule)) {
                    if (!(param.key().equals("sd") && body(param).equals("ud"))) {
                        report.unmapped(
                                net,
                                param,
                                "a nested jobnet runs when its parent net reaches it; its own schedule rules are not"
                                        + " moved");
                    }
                }
            }
            return Optional.empty();
        }
        if (rules.isEmpty()) {
            report.unmapped(
                    net,
                    "sd",
                    "no schedule rule: JP1 runs the jobnet once on the day it is registered; the net gets no"
                            + " schedule (trigger it by hand or add one)");
            return Optional.empty();
        }
        List<Mapped> mapped = new ArrayList<>();
        List<Rule> mappedRules = new ArrayList<>();
        for (Rule rule : rules.values()) {
            mapRule(net, rule, until).ifPresent(m -> {
                mapped.add(m);
                mappedRules.add(rule);
            });
        }
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        Mapped first = mapped.get(0);
        TreeSet<String> at = new TreeSet<>();
        EnumSet<DayOfWeek> weekdays = EnumSet.noneOf(DayOfWeek.class);
        boolean sameDays = true;
        boolean sameTimes = true;
        for (Mapped m : mapped) {
            boolean sameRest = m.ifClosed().equals(first.ifClosed()) && m.from().equals(first.from());
            sameDays &= sameRest && m.days().equals(first.days());
            sameTimes &= sameRest && m.at().equals(first.at()) && m.days() instanceof DayRule.Weekdays;
        }
        DayRule days = first.days();
        if (sameDays) {
            mapped.forEach(m -> at.add(m.at()));
        } else if (sameTimes) {
            mapped.forEach(m -> weekdays.addAll(((DayRule.Weekdays) m.days()).days()));
            days = new DayRule.Weekdays(List.copyOf(weekdays));
            at.add(first.at());
        } else {
            at.add(first.at());
            for (int i = 1; i < mapped.size(); i++) {
                report.unmapped(
                        net,
                        mappedRules.get(i).sd,
                        "schedule rule " + ruleNumber(mappedRules.get(i).sd) + " differs from rule "
                                + ruleNumber(mappedRules.get(0).sd) + " in more than its start time or weekday; the"
                                + " catalog holds one schedule per net, so only the first rule is moved");
            }
        }
        boolean needsCalendar = mapped.stream().anyMatch(Mapped::needsCalendar);
        if (needsCalendar && calendar.isEmpty()) {
            report.unmapped(
                    net,
                    "jc",
                    "the schedule uses open days or shifts closed days, but neither jc nor an enclosing job group"
                            + " defines a calendar (the scheduler service's own calendar is not in ajsprint's output):"
                            + " the net gets no schedule");
            return Optional.empty();
        }
        Optional<LocalDate> from = first.from();
        Optional<LocalDate> last = first.until().or(() -> until);
        return Optional.of(new Schedule(
                options.timeZone(),
                days,
                List.copyOf(at),
                needsCalendar ? calendar : Optional.empty(),
                first.ifClosed(),
                from,
                last));
    }

    private Optional<Mapped> mapRule(Unit net, Rule rule, Optional<LocalDate> until) {
        if (rule.sd == null) {
            UnitParam any = present(rule).get(0);
            report.unmapped(net, any, "rule " + ruleNumber(any) + " has no sd (start date): not moved");
            return Optional.empty();
        }
        String sd = body(rule.sd);
        // an impossible date is reported here, and the rest of the rule still checked
        boolean badDate = DATE.matcher(sd).matches() && date(net, rule.sd, sd).isEmpty();
        String at = "00:00";
        if (rule.st != null) {
            Matcher time = TIME.matcher(body(rule.st));
            if (!time.matches() || Integer.parseInt(time.group(2)) > 47 || Integer.parseInt(time.group(3)) > 59) {
                errors.add(new InputError(
                        net.file(),
                        rule.st.line(),
                        rule.st.valueColumn(),
                        "st=" + rule.st.text() + " of unit " + net.path() + " is not a start time [N,][+]hh:mm up to"
                                + " 47:59"));
                return Optional.empty();
            }
            if (time.group(1) != null) {
                report.unmapped(
                        net, rule.st, "a start time relative to the parent jobnet (+hh:mm) has no catalog form");
                return Optional.empty();
            }
            at = String.format("%02d:%s", Integer.parseInt(time.group(2)), time.group(3));
        }
        Optional<int[]> cycle = Optional.empty();
        if (rule.cy != null) {
            Matcher c = CYCLE.matcher(body(rule.cy));
            if (!c.matches() || Integer.parseInt(c.group(1)) < 1) {
                errors.add(new InputError(
                        net.file(),
                        rule.cy.line(),
                        rule.cy.valueColumn(),
                        "cy=" + rule.cy.text() + " of unit " + net.path() + " is not a cycle [N,](n,{y|m|w|d})"));
                return Optional.empty();
            }
            cycle = Optional.of(
                    new int[] {Integer.parseInt(c.group(1)), c.group(2).charAt(0)});
        }
        String shift = rule.sh == null ? "no" : body(rule.sh);
        Optional<String> ifClosed;
        switch (shift) {
            case "no" -> ifClosed = Optional.empty();
            case "ca" -> ifClosed = Optional.of("skip");
            case "af" -> ifClosed = Optional.of("next");
            case "be" -> ifClosed = Optional.of("previous");
            default -> {
                errors.add(new InputError(
                        net.file(),
                        rule.sh.line(),
                        rule.sh.valueColumn(),
                        "sh=" + rule.sh.text() + " of unit " + net.path() + " is not be, af, ca or no"));
                return Optional.empty();
            }
        }
        if (ifClosed.isPresent() && !shift.equals("ca")) {
            String limit = rule.shd == null ? "2 (the default)" : body(rule.shd);
            report.partial(
                    net,
                    rule.shd == null ? rule.sh : rule.shd,
                    "JP1 shifts a closed day by at most " + limit + " days; batchgate looks up to 31 days");
        }
        if (badDate) {
            return Optional.empty();
        }
        Optional<DayRule> days = days(net, rule.sd, sd, cycle);
        if (days.isEmpty()) {
            return Optional.empty();
        }
        Optional<LocalDate> from = Optional.empty();
        Optional<LocalDate> last = Optional.empty();
        Matcher absolute = DATE.matcher(sd);
        if (absolute.matches()) {
            from = date(net, rule.sd, sd);
            if (cycle.isEmpty()) {
                last = from; // a single date: that day only
            }
        }
        boolean businessRule =
                days.get() instanceof DayRule.BusinessDays || days.get() instanceof DayRule.NthBusinessDay;
        boolean needsCalendar = businessRule || ifClosed.isPresent();
        return Optional.of(new Mapped(days.get(), at, ifClosed, needsCalendar, from, last));
    }

    private Optional<DayRule> days(Unit net, UnitParam param, String sd, Optional<int[]> cycle) {
        Matcher absolute = DATE.matcher(sd);
        if (absolute.matches()) {
            Optional<LocalDate> date = date(net, param, sd);
            if (date.isEmpty()) {
                return Optional.empty();
            }
            if (cycle.isEmpty()) {
                return Optional.of(new DayRule.EveryDay());
            }
            int every = cycle.get()[0];
            char unit = (char) cycle.get()[1];
            if (every != 1 || unit == 'y') {
                report.unmapped(
                        net,
                        param,
                        "a cycle of every " + every + " " + cycleUnit(unit) + " from " + sd
                                + " has no catalog form (days: every-day, weekdays or monthDay only)");
                return Optional.empty();
            }
            return Optional.of(
                    switch (unit) {
                        case 'd' -> new DayRule.EveryDay();
                        case 'w' -> new DayRule.Weekdays(List.of(date.get().getDayOfWeek()));
                        default -> new DayRule.MonthDay(date.get().getDayOfMonth());
                    });
        }
        if (sd.equals("en")) {
            if (cycle.isPresent() && cycle.get()[0] == 1 && cycle.get()[1] == 'd') {
                return Optional.of(new DayRule.EveryDay());
            }
            report.unmapped(
                    net,
                    param,
                    "sd=en (the registration day)"
                            + (cycle.isEmpty() ? "" : " with a cycle other than every day")
                            + " depends on when the net was registered, which ajsprint does not show");
            return Optional.empty();
        }
        if (sd.equals("ud")) {
            report.unmapped(net, param, "sd=ud (the parent's schedule) on a root jobnet: no schedule");
            return Optional.empty();
        }
        if (cycle.isPresent()) {
            report.unmapped(net, param, "a cycle (cy) with a relative start day " + sd + " has no catalog form");
            return Optional.empty();
        }
        if (sd.matches("\\+?[0-9]{1,2}")) {
            int day = Integer.parseInt(sd.replace("+", ""));
            if (day < 1 || day > 31) {
                return badDay(net, param);
            }
            if (sd.startsWith("+")) {
                report.partial(
                        net,
                        param,
                        "+" + day + " counts from the calendar's base day (sdd); mapped as day " + day
                                + " of the month, which is the same only with the default base day 1");
            }
            return Optional.of(new DayRule.MonthDay(day));
        }
        if (sd.matches("\\*[0-9]{1,2}")) {
            int n = Integer.parseInt(sd.substring(1));
            if (n < 1 || n > 31) {
                return badDay(net, param);
            }
            if (n > MAX_BUSINESS_DAY) {
                report.unmapped(net, param, "the " + n + "th open day: the catalog counts at most 23 open days");
                return Optional.empty();
            }
            return Optional.of(new DayRule.NthBusinessDay(n));
        }
        if (sd.equals("b") || sd.equals("+b")) {
            return Optional.of(new DayRule.MonthDay(-1));
        }
        if (sd.matches("\\*b(-[0-9]{1,2})?")) {
            int before = sd.length() > 2 ? Integer.parseInt(sd.substring(3)) : 0;
            if (before > 30) {
                return badDay(net, param);
            }
            if (before + 1 > MAX_BUSINESS_DAY) {
                report.unmapped(
                        net, param, before + " open days before the last: the catalog counts at most 23 open days");
                return Optional.empty();
            }
            return Optional.of(new DayRule.NthBusinessDay(-1 - before));
        }
        DayOfWeek weekday = WEEKDAYS.get(sd.replace("+", ""));
        if (weekday != null) {
            return Optional.of(new DayRule.Weekdays(List.of(weekday)));
        }
        report.unmapped(
                net,
                param,
                "start day " + sd + " has no catalog form (mapped are: yyyy/mm/dd with a cycle of 1 d, w or m;"
                        + " dd; *dd; b; *b; *b-DD; a weekday; en with cy=(1,d))");
        return Optional.empty();
    }

    private Optional<DayRule> badDay(Unit net, UnitParam param) {
        errors.add(new InputError(
                net.file(),
                param.line(),
                param.valueColumn(),
                "sd=" + param.text() + " of unit " + net.path() + " is not a valid start day"));
        return Optional.empty();
    }

    private Optional<LocalDate> date(Unit net, UnitParam param, String text) {
        Matcher date = DATE.matcher(text);
        if (date.matches()) {
            try {
                return Optional.of(LocalDate.of(
                        Integer.parseInt(date.group(1)),
                        Integer.parseInt(date.group(2)),
                        Integer.parseInt(date.group(3))));
            } catch (DateTimeException e) {
                // reported below
            }
        }
        errors.add(new InputError(
                net.file(),
                param.line(),
                param.valueColumn(),
                param.key() + "=" + param.text() + " of unit " + net.path() + " is not a date yyyy/mm/dd"));
        return Optional.empty();
    }

    private static String cycleUnit(char unit) {
        return switch (unit) {
            case 'y' -> "years";
            case 'm' -> "months";
            case 'w' -> "weeks";
            default -> "days";
        };
    }

    private Optional<Rule> rule(TreeMap<Integer, Rule> rules, UnitParam param) {
        return Optional.of(rules.computeIfAbsent(ruleNumber(param), n -> new Rule()));
    }

    /** The rule number N of {@code key=N,value}; 1 when it is left out. */
    private static int ruleNumber(UnitParam param) {
        Matcher m = RULE.matcher(param.text().trim());
        if (m.matches()
                && m.group(1) != null
                && !(param.key().equals("cy") && param.text().trim().startsWith("("))) {
            return Integer.parseInt(m.group(1));
        }
        return 1;
    }

    /** The value of {@code key=N,value} without its rule number. */
    private static String body(UnitParam param) {
        String text = param.text().trim();
        Matcher m = RULE.matcher(text);
        if (m.matches() && m.group(1) != null && !text.startsWith("(")) {
            return m.group(2).trim();
        }
        return text;
    }

    private static List<UnitParam> present(Rule rule) {
        List<UnitParam> params = new ArrayList<>();
        for (UnitParam p : new UnitParam[] {rule.sd, rule.st, rule.cy, rule.sh, rule.shd}) {
            if (p != null) {
                params.add(p);
            }
        }
        return params.stream().filter(Objects::nonNull).toList();
    }
}
