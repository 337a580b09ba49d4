package io.batchgate.catalog;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job or a job net runs by itself: which days (a cron expression, or a JP1-like
 * rule over a business-day calendar), at which start times of those days (up to 47:59: a
 * business day's night belongs to it), in which time zone, until when, what to do with a closed
 * day and with fires missed while no runner was up, and the parameters of its runs.
 *
 * <p>The schedule is named after its target; a job and a net of the same name cannot both have one.
 *
 * @param days which days are nominal (business) days, before {@code ifClosed} applies
 * @param at start times on a nominal day; empty for a cron schedule (its own times apply)
 * @param calendar the business-day calendar; {@link BusinessCalendar#everyDay()} if none is named
 * @param ifClosed what a day the rule picked but the calendar closes becomes
 * @param from the first nominal date, if any
 * @param until the last nominal date, if any (JP1's end date)
 * @param catchUp what a runner that was down does with the fires it missed
 * @param catchUpMax how many missed fires {@code catchUp: all} runs at most (the latest ones)
 * @param grace how long after its nominal time a fire may take to produce a run before it is reported missed
 * @param params values of the target's params, with {@code ${nominalDate}} and {@code ${AJSEXDATE}}
 */
public record ScheduleSpec(
        Target target,
        ZoneId zone,
        DayRule days,
        List<StartTime> at,
        BusinessCalendar calendar,
        IfClosed ifClosed,
        Optional<LocalDate> from,
        Optional<LocalDate> until,
        CatchUp catchUp,
        int catchUpMax,
        Duration grace,
        Map<String, String> params,
        String file,
        int line) {

    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");
    static final List<String> PLACEHOLDERS = List.of("nominalDate", "AJSEXDATE");

    public ScheduleSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(days, "days");
        at = List.copyOf(new TreeSet<>(at));
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(ifClosed, "ifClosed");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(catchUp, "catchUp");
        Objects.requireNonNull(grace, "grace");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Objects.requireNonNull(file, "file");
        if (days instanceof DayRule.Cron && !at.isEmpty()) {
            throw new IllegalArgumentException(
                    target + ": a cron schedule takes its times from the expression, not at");
        }
        if (!(days instanceof DayRule.Cron) && at.isEmpty()) {
            throw new IllegalArgumentException(target + ": a schedule needs at least one start time");
        }
        if (catchUpMax < 1) {
            throw new IllegalArgumentException(target + ": catchUpMax must be at least 1");
        }
    }

    /** The schedule's name: its target's. */
    public String name() {
        return target.name();
    }

    /** What a schedule fires: a job or a job net. */
    public record Target(Kind kind, String name) {
        public enum Kind {
            JOB,
            NET
        }

        public Target {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }

        public static Target job(String name) {
            return new Target(Kind.JOB, name);
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name;
        }
    }

    /** What {@code catchUp} does with fires missed while no runner was up. */
    public enum CatchUp {
        /** Forget them; the next fire is the next nominal time from now. */
        SKIP,
        /** Run the latest one once. */
        ONCE,
        /** Run them all, at most {@code catchUpMax} (the latest ones). */
        ALL
    }

    /** What a day the rule picked becomes when the calendar closes it. */
    public enum IfClosed {
        SKIP,
        NEXT,
        PREVIOUS
    }

    /** A start time of a nominal day, 00:00 to 47:59: {@code 25:30} is 01:30 of the next calendar day. */
    public record StartTime(int minutes) implements Comparable<StartTime> {

        public static final int MAX = 47 * 60 + 59;
        private static final Pattern TEXT = Pattern.compile("([0-9]{1,2}):([0-9]{2})");

        public StartTime {
            if (minutes < 0 || minutes > MAX) {
                throw new IllegalArgumentException("a start time is from 00:00 to 47:59, was " + minutes + " minutes");
            }
        }

        /** The time, or empty if the text is not {@code HH:mm} from 00:00 to 47:59. */
        public static Optional<StartTime> parse(String text) {
            Matcher m = TEXT.matcher(text.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            int hours = Integer.parseInt(m.group(1));
            int minutes = Integer.parseInt(m.group(2));
            if (hours > 47 || minutes > 59) {
                return Optional.empty();
            }
            return Optional.of(new StartTime(hours * 60 + minutes));
        }

        public static StartTime of(LocalTime time) {
            return new StartTime(time.getHour() * 60 + time.getMinute());
        }

        /** Days after the nominal day this time falls on (0 or 1). */
        public int dayOffset() {
            return minutes / (24 * 60);
        }

        public LocalTime timeOfDay() {
            return LocalTime.of((minutes / 60) % 24, minutes % 60);
        }

        @Override
        public int compareTo(StartTime other) {
            return Integer.compare(minutes, other.minutes);
        }

        @Override
        public String toString() {
            return String.format("%02d:%02d", minutes / 60, minutes % 60);
        }
    }

    /** Which days of the calendar are nominal days, before a closed day is shifted or skipped. */
    public sealed interface DayRule {

        /** Whether the rule picks this day. */
        boolean picks(LocalDate day, BusinessCalendar calendar);

        /** Whether the rule only ever picks open days (then {@code ifClosed} has nothing to do). */
        default boolean picksOpenDaysOnly() {
            return false;
        }

        /** Every calendar day. */
        record EveryDay() implements DayRule {
            @Override
            public boolean picks(LocalDate day, BusinessCalendar calendar) {
                return true;
            }
        }

        /** Every open day of the calendar. */
        record BusinessDays() implements DayRule {
            @Override
            public boolean picks(LocalDate day, BusinessCalendar calendar) {
                return calendar.isOpen(day);
            }

            @Override
            public boolean picksOpenDaysOnly() {
                return true;
            }
        }

        /** These weekdays. */
        record Weekdays(Set<DayOfWeek> days) implements DayRule {
            public Weekdays {
                days = Collections.unmodifiableSet(EnumSet.copyOf(days));
            }

            @Override
            public boolean picks(LocalDate day, BusinessCalendar calendar) {
                return days.contains(day.getDayOfWeek());
            }
        }

        /** A day of the month: 1 to 31 (a month without it has none), or -1 for the month's last day. */
        record MonthDay(int day) implements DayRule {
            public MonthDay {
                if (day == 0 || day < -1 || day > 31) {
                    throw new IllegalArgumentException("monthDay is 1 to 31 or -1, was " + day);
                }
            }

            @Override
            public boolean picks(LocalDate date, BusinessCalendar calendar) {
                return day == -1 ? date.getDayOfMonth() == date.lengthOfMonth() : date.getDayOfMonth() == day;
            }
        }

        /** The n-th open day of the month (1 = first); negative counts from the end (-1 = last). */
        record NthBusinessDay(int n) implements DayRule {
            public NthBusinessDay {
                if (n == 0 || n < -23 || n > 23) {
                    throw new IllegalArgumentException("businessDay is 1 to 23 or -1 to -23, was " + n);
                }
            }

            @Override
            public boolean picks(LocalDate day, BusinessCalendar calendar) {
                if (!calendar.isOpen(day)) {
                    return false;
                }
                List<LocalDate> open = new ArrayList<>();
                YearMonth month = YearMonth.from(day);
                for (int d = 1; d <= month.lengthOfMonth(); d++) {
                    if (calendar.isOpen(month.atDay(d))) {
                        open.add(month.atDay(d));
                    }
                }
                int index = n > 0 ? n - 1 : open.size() + n;
                return index >= 0 && index < open.size() && open.get(index).equals(day);
            }

            @Override
            public boolean picksOpenDaysOnly() {
                return true;
            }
        }

        /** The days of a cron expression; its times are the schedule's start times. */
        record Cron(CronSpec cron) implements DayRule {
            @Override
            public boolean picks(LocalDate day, BusinessCalendar calendar) {
                return cron.matches(day);
            }
        }
    }

    /** The start times of a nominal day: {@code at}, or the cron expression's own. */
    public List<StartTime> startTimes() {
        if (days instanceof DayRule.Cron cron) {
            return cron.cron().times().stream().map(StartTime::of).toList();
        }
        return at;
    }

    /**
     * Whether {@code day} is a nominal day: picked by the rule and open, or a closed picked day
     * shifted onto it, within {@code from} and {@code until}.
     */
    public boolean isNominalDay(LocalDate day) {
        if (from.isPresent() && day.isBefore(from.get()) || until.isPresent() && day.isAfter(until.get())) {
            return false;
        }
        if (!calendar.isOpen(day)) {
            return false;
        }
        if (days.picks(day, calendar)) {
            return true;
        }
        // an open day also takes the closed picked days next to it that shift onto it
        return switch (ifClosed) {
            case SKIP -> false;
            case NEXT -> shiftedOnto(day, -1);
            case PREVIOUS -> shiftedOnto(day, +1);
        };
    }

    /** Whether a closed picked day in {@code direction} (-1 before, +1 after) shifts onto open {@code day}. */
    private boolean shiftedOnto(LocalDate day, int direction) {
        for (int i = 1; i <= BusinessCalendar.MAX_SHIFT_DAYS; i++) {
            LocalDate other = day.plusDays((long) i * direction);
            if (calendar.isOpen(other)) {
                return false;
            }
            if (days.picks(other, calendar)) {
                return true;
            }
        }
        return false;
    }

    /** The params of the fire for this nominal date, placeholders filled. */
    public Map<String, String> paramsFor(LocalDate nominalDate) {
        Map<String, String> values = new LinkedHashMap<>();
        params.forEach((name, value) -> values.put(name, fill(value, nominalDate)));
        return values;
    }

    static String fill(String value, LocalDate nominalDate) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String replacement =
                    switch (m.group(1)) {
                        case "nominalDate" -> nominalDate.toString();
                        case "AJSEXDATE" -> nominalDate.toString().replace('-', '/');
                        default -> m.group();
                    };
            m.appendReplacement(filled, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(filled);
        return filled.toString();
    }
}
