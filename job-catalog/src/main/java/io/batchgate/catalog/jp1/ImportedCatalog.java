package io.batchgate.catalog.jp1;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What an import produced, before any YAML: the writers ({@link JobYamlWriter}, {@link NetYamlWriter},
 * {@link ScheduleYamlWriter}, {@link CalendarYamlWriter}) turn it into catalog files, so a change of the catalog's net or
 * schedule format touches only its writer. Each job and net names the catalog file it goes to (without
 * {@code .yaml}): one per root jobnet.
 */
record ImportedCatalog(List<Job> jobs, List<Net> nets, List<Calendar> calendars) {

    /**
     * A Unix or PC job.
     *
     * @param exitCodes success and warning codes; empty for JP1's default judgment (0 is success, the rest failure)
     * @param runTimeoutMinutes from {@code etm}
     */
    record Job(
            String name,
            String file,
            Unit unit,
            String description,
            List<String> command,
            Optional<String> workingDir,
            Map<String, String> env,
            Optional<ExitCodes> exitCodes,
            Optional<Retry> retry,
            Optional<Integer> runTimeoutMinutes) {}

    record ExitCodes(List<Integer> success, List<Integer> warning) {}

    /** JP1's automatic retry: codes {@code from..to} are retried every {@code intervalMinutes}, {@code retries} times. */
    record Retry(int retries, int intervalMinutes, int from, int to) {}

    /** A jobnet (or recovery jobnet); nested jobnets are nets of their own, members of their parent. */
    record Net(
            String name,
            String file,
            Unit unit,
            String description,
            List<Member> members,
            Optional<Schedule> schedule) {}

    record Member(String name, Kind kind, String target, List<Edge> after) {
        enum Kind {
            JOB,
            NET
        }
    }

    record Edge(String from, When when) {}

    /** How the predecessor must have ended for the edge to hold. */
    enum When {
        /** Ended normally, warnings included (JP1's normal end). */
        SUCCESS,
        /** Ended with a warning. */
        WARNING,
        /** Ended abnormally: the edge into a recovery unit. */
        FAILURE
    }

    /**
     * @param at start times {@code HH:mm}, up to 47:59
     * @param calendar the calendar file's name, if the schedule follows one
     * @param ifClosed {@code next}, {@code previous} or {@code skip}; empty for the default
     */
    record Schedule(
            String timeZone,
            DayRule days,
            List<String> at,
            Optional<String> calendar,
            Optional<String> ifClosed,
            Optional<LocalDate> from,
            Optional<LocalDate> until) {}

    sealed interface DayRule {
        record EveryDay() implements DayRule {}

        record BusinessDays() implements DayRule {}

        /** 1 is the month's first business day, -1 its last. */
        record NthBusinessDay(int n) implements DayRule {}

        /** 1 to 31, or -1 for the month's last day. */
        record MonthDay(int n) implements DayRule {}

        record Weekdays(List<DayOfWeek> days) implements DayRule {}
    }

    /** A job group's calendar: weekly closed days and, per year, closed and open days. */
    record Calendar(String name, Unit group, List<DayOfWeek> weeklyClosed, SortedMap<Integer, Year> years) {
        record Year(List<LocalDate> closed, List<LocalDate> open) {}
    }
}
