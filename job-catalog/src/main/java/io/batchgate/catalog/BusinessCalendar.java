package io.batchgate.catalog;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A calendar of business days, like a JP1/AJS3 calendar: a day is open unless its weekday is a
 * weekly closed day or it is listed as closed; a day listed as open is open whatever its weekday
 * (a Saturday worked at year end). Read from {@code calendars/<name>.yaml} in the catalog.
 *
 * @param weeklyClosed closed every week unless listed as open
 * @param closed closed days (holidays), by year in the file
 * @param open days open although their weekday is closed
 * @param years the years the file lists; a day of another year follows the weekly rule only
 */
public record BusinessCalendar(
        String name,
        String file,
        Set<DayOfWeek> weeklyClosed,
        Set<LocalDate> closed,
        Set<LocalDate> open,
        Set<Integer> years) {

    /** How far shifting to the next or previous open day looks before giving up on a day. */
    public static final int MAX_SHIFT_DAYS = 31;

    public BusinessCalendar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        weeklyClosed = weeklyClosed.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(DayOfWeek.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(weeklyClosed));
        closed = Collections.unmodifiableSet(new TreeSet<>(closed));
        open = Collections.unmodifiableSet(new TreeSet<>(open));
        years = Collections.unmodifiableSet(new TreeSet<>(years));
        for (LocalDate day : closed) {
            if (open.contains(day)) {
                throw new IllegalArgumentException(name + ": " + day + " is listed as both open and closed");
            }
        }
    }

    public boolean isOpen(LocalDate day) {
        if (open.contains(day)) {
            return true;
        }
        return !closed.contains(day) && !weeklyClosed.contains(day.getDayOfWeek());
    }

    /** The first open day after {@code day} (within {@link #MAX_SHIFT_DAYS}). */
    public Optional<LocalDate> nextOpen(LocalDate day) {
        for (int i = 1; i <= MAX_SHIFT_DAYS; i++) {
            if (isOpen(day.plusDays(i))) {
                return Optional.of(day.plusDays(i));
            }
        }
        return Optional.empty();
    }

    /** The last open day before {@code day} (within {@link #MAX_SHIFT_DAYS}). */
    public Optional<LocalDate> previousOpen(LocalDate day) {
        for (int i = 1; i <= MAX_SHIFT_DAYS; i++) {
            if (isOpen(day.minusDays(i))) {
                return Optional.of(day.minusDays(i));
            }
        }
        return Optional.empty();
    }

    /** A calendar with every day open, for schedules without one. */
    public static BusinessCalendar everyDay() {
        return new BusinessCalendar("(every day)", "", Set.of(), Set.of(), Set.of(), Set.of());
    }
}
