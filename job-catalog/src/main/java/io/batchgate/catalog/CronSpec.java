package io.batchgate.catalog;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week) as cron and
 * Healthchecks read it: {@code *}, lists, ranges, steps, month and day names, 0 and 7 for Sunday;
 * when both day fields are restricted a day matching either one matches (Vixie cron). The
 * business-day rules of a schedule replace Quartz's {@code L}, {@code W} and {@code #}.
 *
 * <p>Evaluated per local date and time, never on instants: a schedule's time zone (and its DST
 * gaps and overlaps) is applied afterwards, in one place.
 */
public final class CronSpec {

    private static final String[] MONTHS = {
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
    };
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private CronSpec(String text, BitSet[] fields, boolean domRestricted, boolean dowRestricted) {
        this.text = text;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.domRestricted = domRestricted;
        this.dowRestricted = dowRestricted;
    }

    /** The expression, or throws IllegalArgumentException naming the field that is wrong. */
    public static CronSpec parse(String text) {
        return build(text);
    }

    /** Why the expression is not valid, or empty if it is. */
    public static Optional<String> check(String text) {
        try {
            build(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static CronSpec build(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day-of-month month"
                    + " day-of-week), found " + parts.length + " in '" + text + "'");
        }
        BitSet[] fields = {
            field("minute", parts[0], 0, 59, null),
            field("hour", parts[1], 0, 23, null),
            field("day-of-month", parts[2], 1, 31, null),
            field("month", parts[3], 1, 12, MONTHS),
            field("day-of-week", parts[4], 0, 7, DAYS)
        };
        if (fields[4].get(7)) {
            fields[4].set(0);
        }
        return new CronSpec(text.trim(), fields, !isStar(parts[2]), !isStar(parts[4]));
    }

    private static boolean isStar(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet field(String name, String text, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException(name + " field '" + text + "' has an empty list item");
            }
            int step = 1;
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                step = number(name, item.substring(slash + 1), 1, max - min + 1, null);
                range = item.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                int dash = range.indexOf('-');
                from = number(name, range.substring(0, dash), min, max, names);
                to = number(name, range.substring(dash + 1), min, max, names);
                if (to < from) {
                    throw new IllegalArgumentException(name + " range '" + range + "' runs backwards");
                }
            } else {
                from = number(name, range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                bits.set(value);
            }
        }
        return bits;
    }

    private static int number(String name, String text, int min, int max, String[] names) {
        if (names != null) {
            String upper = text.toUpperCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(upper)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        if (!text.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException(name + " field: '" + text + "' is not a number from " + min + " to "
                    + max + (names == null ? "" : " or a name") + " (L, W and # are not supported: use the"
                    + " business-day rules)");
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " field: " + value + " is not from " + min + " to " + max);
        }
        return value;
    }

    /** Whether the expression fires on some time of this date. */
    public boolean matches(LocalDate date) {
        if (!months.get(date.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(date.getDayOfMonth());
        boolean dow = daysOfWeek.get(
                date.getDayOfWeek() == DayOfWeek.SUNDAY
                        ? 0
                        : date.getDayOfWeek().getValue());
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    /** The times of day it fires at, in order. */
    public List<LocalTime> times() {
        List<LocalTime> times = new ArrayList<>();
        for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
            for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                times.add(LocalTime.of(hour, minute));
            }
        }
        return times;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSpec cron && cron.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
