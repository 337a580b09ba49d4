package io.batchgate.catalog;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a calendar file {@code calendars/<name>.yaml}: {@code calendar:} with {@code weeklyClosed}
 * days and, per year, the {@code closed} and {@code open} days.
 */
final class CalendarReader {

    static final String DIRECTORY = "calendars/";
    static final List<String> ROOT_KEYS = List.of("calendar");
    static final List<String> KEYS = List.of("description", "weeklyClosed", "years");
    static final List<String> YEAR_KEYS = List.of("closed", "open");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern YEAR = Pattern.compile("(19|20|21)[0-9]{2}");

    private CalendarReader() {}

    /** The calendar name of a catalog file name, if it is a calendar file. */
    static Optional<String> calendarName(String fileName) {
        if (!fileName.startsWith(DIRECTORY)) {
            return Optional.empty();
        }
        String base = fileName.substring(DIRECTORY.length());
        int dot = base.lastIndexOf('.');
        return Optional.of(dot < 0 ? base : base.substring(0, dot));
    }

    static Optional<BusinessCalendar> read(String name, LocatedNode root, Problems problems) {
        int before = problems.errorCount();
        if (!NAME.matcher(name).matches()) {
            problems.error(1, "(file)", "a calendar file name must match " + NAME.pattern() + ".yaml");
        }
        Optional<MappingReader> file = MappingReader.of(root, "", 1, problems, ROOT_KEYS);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (!file.get().has("calendar")) {
            file.get().missing("calendar");
            return Optional.empty();
        }
        Optional<MappingReader> calendar = file.get().mapping("calendar", KEYS);
        if (calendar.isEmpty()) {
            return Optional.empty();
        }
        Set<DayOfWeek> weekly = calendar.get()
                .strings("weeklyClosed", false)
                .map(days -> weekdays(calendar.get(), "weeklyClosed", days))
                .orElse(EnumSet.noneOf(DayOfWeek.class));
        Set<LocalDate> closed = new HashSet<>();
        Set<LocalDate> open = new HashSet<>();
        Set<Integer> years = new HashSet<>();
        calendar.get().mapping("years", List.of()).ifPresent(all -> {
            for (LocatedNode.Entry entry : all.entries()) {
                String field = all.field(entry.key());
                if (!YEAR.matcher(entry.key()).matches()) {
                    problems.error(entry.keyLine(), field, "must be a year like 2026");
                    continue;
                }
                int year = Integer.parseInt(entry.key());
                years.add(year);
                MappingReader.of(entry.value(), field, entry.keyLine(), problems, YEAR_KEYS)
                        .ifPresent(days -> {
                            closed.addAll(dates(days, "closed", year));
                            open.addAll(dates(days, "open", year));
                        });
            }
        });
        for (LocalDate day : closed) {
            if (open.contains(day)) {
                problems.error(
                        calendar.get().line(), calendar.get().path(), day + " is listed as both open and closed");
            }
        }
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new BusinessCalendar(name, problems.file(), weekly, closed, open, years));
    }

    private static Set<LocalDate> dates(MappingReader days, String key, int year) {
        Set<LocalDate> dates = new HashSet<>();
        days.strings(key, false).ifPresent(texts -> {
            for (String text : texts) {
                try {
                    LocalDate day = LocalDate.parse(text.replace('/', '-'));
                    if (day.getYear() != year) {
                        days.error(key, text + " is not in " + year);
                    }
                    dates.add(day);
                } catch (DateTimeException e) {
                    days.error(key, "'" + text + "' is not a date (yyyy-MM-dd)");
                }
            }
        });
        return dates;
    }

    static Set<DayOfWeek> weekdays(MappingReader owner, String key, List<String> names) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String text : names) {
            weekday(text)
                    .ifPresentOrElse(days::add, () -> owner.error(key, "'" + text + "' is not a weekday (MON to SUN)"));
        }
        return days;
    }

    static Optional<DayOfWeek> weekday(String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().substring(0, 3).equals(text.toUpperCase(Locale.ROOT))
                    || day.name().equals(text.toUpperCase(Locale.ROOT))) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }
}
