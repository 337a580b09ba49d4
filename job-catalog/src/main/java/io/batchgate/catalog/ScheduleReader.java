package io.batchgate.catalog;

import io.batchgate.catalog.ScheduleSpec.CatchUp;
import io.batchgate.catalog.ScheduleSpec.DayRule;
import io.batchgate.catalog.ScheduleSpec.IfClosed;
import io.batchgate.catalog.ScheduleSpec.StartTime;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Reads a {@code schedule:} section. Shared by jobs and (later) nets: the caller says what the
 * schedule fires and which param names its target declares.
 */
final class ScheduleReader {

    static final List<String> KEYS = List.of(
            "tz",
            "calendar",
            "cron",
            "days",
            "at",
            "ifClosed",
            "from",
            "until",
            "catchUp",
            "catchUpMax",
            "grace",
            "params");
    static final List<String> DAY_NAMES = List.of("every-day", "business-days", "last-business-day");
    static final List<String> DAY_KEYS = List.of("businessDay", "monthDay", "weekdays");
    static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);
    static final int DEFAULT_CATCH_UP_MAX = 10;
    static final int MAX_CATCH_UP_MAX = 1000;

    private ScheduleReader() {}

    static Optional<ScheduleSpec> read(
            MappingReader schedule,
            ScheduleSpec.Target target,
            Set<String> paramNames,
            Map<String, BusinessCalendar> calendars) {
        Problems problems = schedule.problems();
        int before = problems.errorCount();
        ZoneId zone = schedule.nonEmptyString("tz")
                .flatMap(text -> zone(schedule, text))
                .orElse(ZoneOffset.UTC);
        Optional<BusinessCalendar> calendar = schedule.nonEmptyString("calendar")
                .flatMap(name -> {
                    BusinessCalendar found = calendars.get(name);
                    if (found == null) {
                        schedule.error(
                                "calendar",
                                "no calendar '" + name + "' (a file calendars/" + name
                                        + ".yaml in the catalog directory);" + " known: "
                                        + String.join(", ", new java.util.TreeSet<>(calendars.keySet())));
                    }
                    return Optional.ofNullable(found);
                });
        DayRule days = null;
        if (schedule.has("cron")) {
            if (schedule.has("days") || schedule.has("at")) {
                schedule.error("cron", "set cron, or days with at, not both");
            }
            days = schedule.nonEmptyString("cron")
                    .flatMap(text -> CronSpec.check(text)
                            .map(problem -> {
                                schedule.error("cron", problem);
                                return Optional.<DayRule>empty();
                            })
                            .orElseGet(() -> Optional.of(new DayRule.Cron(CronSpec.parse(text)))))
                    .orElse(null);
        } else if (schedule.has("days")) {
            days = dayRule(schedule).orElse(null);
            if (!schedule.has("at")) {
                schedule.missing("at");
            }
        } else {
            problems.error(schedule.line(), schedule.path(), "needs cron, or days with at");
        }
        List<StartTime> at = startTimes(schedule);
        if (days != null
                && (days instanceof DayRule.BusinessDays || days instanceof DayRule.NthBusinessDay)
                && calendar.isEmpty()) {
            schedule.error("days", "business-day rules need a calendar");
        }
        IfClosed ifClosed = schedule.oneOf("ifClosed", List.of("skip", "next", "previous"))
                .map(text -> IfClosed.valueOf(text.toUpperCase(Locale.ROOT)))
                .orElse(IfClosed.SKIP);
        if (schedule.has("ifClosed") && calendar.isEmpty()) {
            schedule.error("ifClosed", "only with a calendar");
        }
        Optional<LocalDate> from = schedule.nonEmptyString("from").flatMap(text -> date(schedule, "from", text));
        Optional<LocalDate> until = schedule.nonEmptyString("until").flatMap(text -> date(schedule, "until", text));
        if (from.isPresent() && until.isPresent() && until.get().isBefore(from.get())) {
            schedule.error("until", "is before from");
        }
        CatchUp catchUp = schedule.oneOf("catchUp", List.of("skip", "once", "all"))
                .map(text -> CatchUp.valueOf(text.toUpperCase(Locale.ROOT)))
                .orElse(CatchUp.SKIP);
        int catchUpMax = schedule.integer("catchUpMax", 1, MAX_CATCH_UP_MAX).orElse(DEFAULT_CATCH_UP_MAX);
        if (schedule.has("catchUpMax") && catchUp != CatchUp.ALL) {
            schedule.error("catchUpMax", "only with catchUp: all");
        }
        Duration grace = schedule.duration("grace").orElse(DEFAULT_GRACE);
        if (grace.compareTo(Duration.ofMinutes(1)) < 0 || grace.compareTo(Duration.ofDays(2)) > 0) {
            schedule.error("grace", "must be from 1m to 2d");
        }
        Map<String, String> params = params(schedule, paramNames);
        if (problems.errorCount() != before || days == null) {
            return Optional.empty();
        }
        if (days instanceof DayRule.Cron && !at.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ScheduleSpec(
                target,
                zone,
                days,
                at,
                calendar.orElse(BusinessCalendar.everyDay()),
                ifClosed,
                from,
                until,
                catchUp,
                catchUpMax,
                grace,
                params,
                problems.file(),
                schedule.line()));
    }

    private static Optional<DayRule> dayRule(MappingReader schedule) {
        LocatedNode node = schedule.value("days").orElseThrow();
        if (node instanceof LocatedNode.Scalar) {
            return schedule.oneOf("days", DAY_NAMES).map(name -> switch (name) {
                case "every-day" -> new DayRule.EveryDay();
                case "business-days" -> new DayRule.BusinessDays();
                default -> new DayRule.NthBusinessDay(-1);
            });
        }
        Optional<MappingReader> rule = schedule.mapping("days", DAY_KEYS);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        if (rule.get().entries().size() != 1) {
            schedule.error(
                    "days",
                    "one of " + String.join(", ", DAY_NAMES) + ", or a mapping with one of "
                            + String.join(", ", DAY_KEYS));
            return Optional.empty();
        }
        MappingReader r = rule.get();
        if (r.has("businessDay")) {
            return r.integer("businessDay", -23, 23).flatMap(n -> {
                if (n == 0) {
                    r.error("businessDay", "1 is the first business day of the month, -1 the last; 0 is neither");
                    return Optional.empty();
                }
                return Optional.of(new DayRule.NthBusinessDay(n));
            });
        }
        if (r.has("monthDay")) {
            return r.integer("monthDay", -1, 31).flatMap(n -> {
                if (n == 0) {
                    r.error("monthDay", "1 to 31, or -1 for the month's last day");
                    return Optional.empty();
                }
                return Optional.of(new DayRule.MonthDay(n));
            });
        }
        return r.strings("weekdays", true).flatMap(names -> {
            Set<DayOfWeek> weekdays = CalendarReader.weekdays(r, "weekdays", names);
            return weekdays.size() == names.size() ? Optional.of(new DayRule.Weekdays(weekdays)) : Optional.empty();
        });
    }

    private static List<StartTime> startTimes(MappingReader schedule) {
        List<StartTime> times = new ArrayList<>();
        Optional<LocatedNode> node = schedule.value("at");
        if (node.isEmpty()) {
            return times;
        }
        List<String> texts = node.get() instanceof LocatedNode.Sequence
                ? schedule.strings("at", true).orElse(List.of())
                : schedule.nonEmptyString("at").map(List::of).orElse(List.of());
        for (String text : texts) {
            StartTime.parse(text)
                    .ifPresentOrElse(
                            times::add,
                            () -> schedule.error(
                                    "at",
                                    "'" + text + "' is not a start time HH:mm from 00:00 to 47:59 (25:30 is 01:30"
                                            + " the next day, still for the business day); quote it"));
        }
        return times;
    }

    private static Map<String, String> params(MappingReader schedule, Set<String> paramNames) {
        Map<String, String> params = new LinkedHashMap<>();
        schedule.mapping("params", List.of()).ifPresent(map -> {
            for (LocatedNode.Entry entry : map.entries()) {
                String field = map.field(entry.key());
                if (!paramNames.contains(entry.key())) {
                    schedule.problems().error(entry.keyLine(), field, "the target declares no param " + entry.key());
                    continue;
                }
                LocatedNode value = entry.value();
                if (!(value instanceof LocatedNode.Scalar scalar) || scalar.kind() == LocatedNode.Kind.NULL) {
                    schedule.problems().error(entry.keyLine(), field, "must be a value, found " + value.describe());
                    continue;
                }
                Matcher m = ScheduleSpec.PLACEHOLDER.matcher(scalar.text());
                while (m.find()) {
                    if (!ScheduleSpec.PLACEHOLDERS.contains(m.group(1))) {
                        schedule.problems()
                                .error(
                                        entry.keyLine(),
                                        field,
                                        "unknown placeholder ${" + m.group(1) + "} (known: ${nominalDate},"
                                                + " ${AJSEXDATE})");
                    }
                }
                params.put(entry.key(), scalar.text());
            }
        });
        return params;
    }

    private static Optional<ZoneId> zone(MappingReader schedule, String text) {
        try {
            return Optional.of(ZoneId.of(text));
        } catch (DateTimeException e) {
            schedule.error("tz", "must be a time zone like Asia/Tokyo or UTC, found '" + text + "'");
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> date(MappingReader schedule, String key, String text) {
        try {
            return Optional.of(LocalDate.parse(text.replace('/', '-')));
        } catch (DateTimeException e) {
            schedule.error(key, "must be a date yyyy-MM-dd, found '" + text + "'");
            return Optional.empty();
        }
    }
}
