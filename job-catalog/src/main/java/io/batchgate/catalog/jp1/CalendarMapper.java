package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.Calendar;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a job group's calendar ({@code op=} open and {@code cl=} closed days, by date or weekday) into a calendar
 * file. JP1's weekdays are open unless closed; a dated day overrides its weekday.
 */
final class CalendarMapper {

    private static final Pattern DATE = Pattern.compile("([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})");
    private static final Map<String, DayOfWeek> WEEKDAYS = Map.of(
            "su", DayOfWeek.SUNDAY,
            "mo", DayOfWeek.MONDAY,
            "tu", DayOfWeek.TUESDAY,
            "we", DayOfWeek.WEDNESDAY,
            "th", DayOfWeek.THURSDAY,
            "fr", DayOfWeek.FRIDAY,
            "sa", DayOfWeek.SATURDAY);

    private final ImportReport report;
    private final List<InputError> errors;

    CalendarMapper(ImportReport report, List<InputError> errors) {
        this.report = report;
        this.errors = errors;
    }

    static boolean hasCalendar(Unit group) {
        return group.param("op").isPresent() || group.param("cl").isPresent();
    }

    Optional<Calendar> map(Unit group, String name) {
        if (!hasCalendar(group)) {
            return Optional.empty();
        }
        EnumSet<DayOfWeek> weeklyClosed = EnumSet.noneOf(DayOfWeek.class);
        TreeMap<Integer, TreeSet<LocalDate>> closed = new TreeMap<>();
        TreeMap<Integer, TreeSet<LocalDate>> open = new TreeMap<>();
        for (UnitParam param : group.params()) {
            boolean isOpen = param.key().equals("op");
            if (!isOpen && !param.key().equals("cl")) {
                continue;
            }
            String value = param.text().trim();
            DayOfWeek weekday = WEEKDAYS.get(value);
            if (weekday != null) {
                if (isOpen) {
                    weeklyClosed.remove(weekday);
                } else {
                    weeklyClosed.add(weekday);
                }
                continue;
            }
            Matcher date = DATE.matcher(value);
            LocalDate day = null;
            if (date.matches()) {
                try {
                    day = LocalDate.of(
                            Integer.parseInt(date.group(1)),
                            Integer.parseInt(date.group(2)),
                            Integer.parseInt(date.group(3)));
                } catch (DateTimeException e) {
                    // reported below
                }
            }
            if (day == null) {
                errors.add(new InputError(
                        group.file(),
                        param.line(),
                        param.valueColumn(),
                        param.key() + "=" + value + " of unit " + group.path()
                                + " is not a date yyyy/mm/dd or a weekday su to sa"));
                continue;
            }
            (isOpen ? open : closed)
                    .computeIfAbsent(day.getYear(), y -> new TreeSet<>())
                    .add(day);
            (isOpen ? closed : open)
                    .getOrDefault(day.getYear(), new TreeSet<>())
                    .remove(day);
        }
        for (String key : List.of("sdd", "md", "stt")) {
            group.param(key)
                    .ifPresent(p -> report.unmapped(
                            group,
                            p,
                            switch (key) {
                                case "sdd" ->
                                    "the calendar's base day (the day a month starts) has no catalog form: months start on"
                                            + " the 1st";
                                case "md" -> "the base month has no catalog form";
                                default ->
                                    "the base time (when JP1's day starts) has no catalog form: a business day starts at"
                                            + " 00:00, and start times up to 47:59 belong to it";
                            }));
        }
        TreeMap<Integer, Calendar.Year> years = new TreeMap<>();
        TreeSet<Integer> allYears = new TreeSet<>(closed.keySet());
        allYears.addAll(open.keySet());
        for (int year : allYears) {
            years.put(
                    year,
                    new Calendar.Year(
                            new ArrayList<>(closed.getOrDefault(year, new TreeSet<>())),
                            new ArrayList<>(open.getOrDefault(year, new TreeSet<>()))));
        }
        return Optional.of(new Calendar(name, group, List.copyOf(weeklyClosed), years));
    }
}
