package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec;
import io.batchgate.catalog.ScheduleSpec.StartTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fires of a schedule in a window of instants: pure, no clock of its own (the caller passes
 * "now"). Nominal days come from the schedule's rule and calendar; each start time is added to
 * the day's midnight as local time (25:30 is 01:30 of the next calendar day) and then resolved in
 * the time zone: a local time that does not exist (a DST gap) fires once at the first instant after
 * the gap, and one that exists twice (the hour repeated in autumn) fires once, at its first
 * occurrence. Two start times that resolve to the same instant fire once.
 */
public final class FireTimes {

    /** How many days before the window a nominal day can start: 47:59 reaches into the second day. */
    private static final int REACH_DAYS = 2;

    private FireTimes() {}

    /** The fires with {@code after < nominal <= until}, in order of their instants. */
    public static List<Fire> between(ScheduleSpec schedule, Instant after, Instant until) {
        List<Fire> fires = new ArrayList<>();
        if (!until.isAfter(after)) {
            return fires;
        }
        ZoneRules rules = schedule.zone().getRules();
        LocalDate first = LocalDate.ofInstant(after, schedule.zone()).minusDays(REACH_DAYS);
        LocalDate last = LocalDate.ofInstant(until, schedule.zone()).plusDays(1);
        List<StartTime> starts = schedule.startTimes();
        Set<Instant> seen = new HashSet<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            if (!schedule.isNominalDay(day)) {
                continue;
            }
            for (StartTime start : starts) {
                Instant at = resolve(rules, day.atStartOfDay().plusMinutes(start.minutes()));
                if (at.isAfter(after) && !at.isAfter(until) && seen.add(at)) {
                    fires.add(new Fire(schedule.name(), day, start, at));
                }
            }
        }
        fires.sort(Comparator.comparing(Fire::nominal));
        return fires;
    }

    /** The next {@code count} fires after {@code after}, looking at most about 400 days ahead. */
    public static List<Fire> next(ScheduleSpec schedule, Instant after, int count) {
        for (long days : new long[] {3, 40, 400}) {
            List<Fire> fires = between(schedule, after, after.plus(java.time.Duration.ofDays(days)));
            if (fires.size() >= count || days == 400) {
                return fires.subList(0, Math.min(count, fires.size()));
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** A local time in the zone: the gap's end if it falls in a gap, the first occurrence if repeated. */
    static Instant resolve(ZoneRules rules, LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        return local.toInstant(offsets.get(0));
    }
}
