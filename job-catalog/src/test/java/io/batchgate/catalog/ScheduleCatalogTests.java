package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.ScheduleSpec.CatchUp;
import io.batchgate.catalog.ScheduleSpec.DayRule;
import io.batchgate.catalog.ScheduleSpec.IfClosed;
import io.batchgate.catalog.ScheduleSpec.StartTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code schedule:} on a job and calendars in {@code calendars/}: what loads, and every error with its line. */
class ScheduleCatalogTests {

    @TempDir
    Path dir;

    private static final String CALENDAR = """
            calendar:
              weeklyClosed: [SAT, SUN]
              years:
                2026:
                  closed: [2026-05-04, 2026-05-05, 2026-05-06]
                  open: [2026-05-09]
            """;

    private void write(String jobs) throws IOException {
        Files.createDirectories(dir.resolve("calendars"));
        Files.writeString(dir.resolve("calendars/tokyo.yaml"), CALENDAR);
        Files.writeString(dir.resolve("jobs.yaml"), jobs);
    }

    @Test
    void loadsTheSampleScheduleWithItsCalendar() {
        Catalog sample = new CatalogLoader().load(CatalogLoaderTests.SAMPLE);
        ScheduleSpec billing = sample.schedules().get("nightly-billing");
        assertThat(billing.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(billing.days()).isEqualTo(new DayRule.BusinessDays());
        assertThat(billing.at()).containsExactly(new StartTime(25 * 60 + 30));
        assertThat(billing.calendar().name()).isEqualTo("jp-business");
        assertThat(billing.calendar().isOpen(LocalDate.of(2026, 5, 6))).isFalse();
        assertThat(billing.catchUp()).isEqualTo(CatchUp.ONCE);
        assertThat(billing.paramsFor(LocalDate.of(2026, 12, 3))).containsEntry("BUSINESS_DATE", "2026/12/03");
    }

    @Test
    void loadsTheSampleNetScheduleNextToTheJobSchedules() {
        Catalog sample = new CatalogLoader().load(CatalogLoaderTests.SAMPLE);
        ScheduleSpec close = sample.schedules().get("night-close");
        assertThat(close.target()).isEqualTo(new ScheduleSpec.Target(ScheduleSpec.Target.Kind.NET, "night-close"));
        assertThat(close.at()).containsExactly(new StartTime(25 * 60 + 30));
        assertThat(close.calendar().name()).isEqualTo("jp-business");
        assertThat(close.paramsFor(LocalDate.of(2026, 12, 3))).containsEntry("NOMINAL_DATE", "2026/12/03");
        assertThat(sample.net("night-close").orElseThrow().schedule()).hasValue(close);
        assertThat(sample.schedules()).containsKeys("nightly-billing", "night-close");
    }

    @Test
    void refusesANetScheduleWithUnknownParamsOrCalendar() throws IOException {
        write("""
                jobs:
                  a:
                    local: { command: [x] }
                nets:
                  n:
                    params: { D: { type: date } }
                    schedule:
                      calendar: osaka
                      days: business-days
                      at: "25:30"
                      params: { D: "${AJSEXDATE}", X: "1" }
                    members:
                      a: { job: a }
                """);
        assertThat(CatalogFiles.problems(dir))
                .containsExactlyInAnyOrder(
                        "jobs.yaml:8: nets.n.schedule.calendar: no calendar 'osaka' (a file calendars/osaka.yaml in"
                                + " the catalog directory); known: tokyo",
                        "jobs.yaml:9: nets.n.schedule.days: business-day rules need a calendar",
                        "jobs.yaml:11: nets.n.schedule.params.X: the target declares no param X");
    }

    @Test
    void refusesAJobAndANetOfTheSameNameThatBothHaveASchedule() throws IOException {
        write("""
                jobs:
                  same:
                    local: { command: [x] }
                    schedule: { cron: "0 2 * * *" }
                nets:
                  same:
                    schedule: { cron: "0 3 * * *" }
                    members:
                      a: { job: same }
                  other:
                    schedule: { cron: "0 4 * * *" }
                    members:
                      a: { job: same }
                """);
        assertThat(CatalogFiles.problems(dir))
                .containsExactly("jobs.yaml:7: nets.same.schedule: the job same has a schedule too (jobs.yaml:4);"
                        + " schedules are named after their target, rename the net or the job");
    }

    @Test
    void readsEveryRuleAndDefault() throws IOException {
        write("""
                jobs:
                  a:
                    local: { command: [x] }
                    params: { D: { type: date }, N: { type: int } }
                    schedule:
                      calendar: tokyo
                      tz: Asia/Tokyo
                      days: { businessDay: 3 }
                      at: ["09:00", "47:00"]
                      ifClosed: next
                      until: 2027-03-31
                      catchUp: all
                      catchUpMax: 5
                      grace: 30m
                      params: { D: "${nominalDate}", N: 7 }
                  b:
                    local: { command: [x] }
                    schedule:
                      cron: "*/15 8-18 * * MON-FRI"
                """);
        Catalog catalog = new CatalogLoader().load(dir);
        ScheduleSpec a = catalog.schedules().get("a");
        assertThat(a.days()).isEqualTo(new DayRule.NthBusinessDay(3));
        assertThat(a.at()).extracting(StartTime::toString).containsExactly("09:00", "47:00");
        assertThat(a.ifClosed()).isEqualTo(IfClosed.NEXT);
        assertThat(a.until()).hasValue(LocalDate.of(2027, 3, 31));
        assertThat(a.catchUpMax()).isEqualTo(5);
        assertThat(a.line()).isEqualTo(5);
        assertThat(a.paramsFor(LocalDate.of(2026, 2, 28))).isEqualTo(Map.of("D", "2026-02-28", "N", "7"));
        ScheduleSpec b = catalog.schedules().get("b");
        assertThat(b.zone()).isEqualTo(java.time.ZoneOffset.UTC);
        assertThat(b.catchUp()).isEqualTo(CatchUp.SKIP);
        assertThat(b.grace()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(b.startTimes()).hasSize(11 * 4);
        assertThat(b.calendar().isOpen(LocalDate.of(2026, 5, 4))).isTrue();
    }

    @Test
    void reportsEachMistakeAtItsLine() throws IOException {
        write("""
                jobs:
                  a:
                    local: { command: [x] }
                    schedule:
                      calendar: osaka
                      cron: "0 25 * * *"
                  b:
                    local: { command: [x] }
                    schedule:
                      days: { businessDay: 2 }
                      at: "48:00"
                      tz: Mars/Olympus
                      catchUpMax: 3
                      params: { X: "${today}" }
                  c:
                    local: { command: [x] }
                    params: { D: { type: date } }
                    schedule:
                      days: every-day
                      at: "02:00"
                      cron: "0 2 * * *"
                      params: { D: "${when}" }
                """);
        assertThat(CatalogFiles.problems(dir))
                .containsExactlyInAnyOrder(
                        "jobs.yaml:5: jobs.a.schedule.calendar: no calendar 'osaka' (a file calendars/osaka.yaml in"
                                + " the catalog directory); known: tokyo",
                        "jobs.yaml:6: jobs.a.schedule.cron: hour field: 25 is not from 0 to 23",
                        "jobs.yaml:10: jobs.b.schedule.days: business-day rules need a calendar",
                        "jobs.yaml:11: jobs.b.schedule.at: '48:00' is not a start time HH:mm from 00:00 to 47:59"
                                + " (25:30 is 01:30 the next day, still for the business day); quote it",
                        "jobs.yaml:12: jobs.b.schedule.tz: must be a time zone like Asia/Tokyo or UTC, found"
                                + " 'Mars/Olympus'",
                        "jobs.yaml:13: jobs.b.schedule.catchUpMax: only with catchUp: all",
                        "jobs.yaml:14: jobs.b.schedule.params.X: the target declares no param X",
                        "jobs.yaml:21: jobs.c.schedule.cron: set cron, or days with at, not both",
                        "jobs.yaml:22: jobs.c.schedule.params.D: unknown placeholder ${when} (known:"
                                + " ${nominalDate}, ${AJSEXDATE})");
    }

    @Test
    void reportsCalendarMistakesInTheCalendarFile() throws IOException {
        Files.createDirectories(dir.resolve("calendars"));
        Files.writeString(dir.resolve("calendars/tokyo.yaml"), """
                calendar:
                  weeklyClosed: [SAT, SONDAY]
                  years:
                    2026:
                      closed: [2027-01-01, 2026-02-30]
                """);
        Files.writeString(dir.resolve("jobs.yaml"), "jobs:\n  a:\n    local: { command: [x] }\n");
        assertThat(CatalogFiles.problems(dir))
                .containsExactlyInAnyOrder(
                        "calendars/tokyo.yaml:2: calendar.weeklyClosed: 'SONDAY' is not a weekday (MON to SUN)",
                        "calendars/tokyo.yaml:5: calendar.years.2026.closed: 2027-01-01 is not in 2026",
                        "calendars/tokyo.yaml:5: calendar.years.2026.closed: '2026-02-30' is not a date (yyyy-MM-dd)");
    }

    @Test
    void calendarFilesChangeTheCatalogVersion() throws IOException {
        write("jobs:\n  a:\n    local: { command: [x] }\n");
        String before = new CatalogLoader().load(dir).version();
        Files.writeString(dir.resolve("calendars/tokyo.yaml"), CALENDAR.replace("2026-05-06", "2026-05-07"));
        assertThat(new CatalogLoader().load(dir).version()).isNotEqualTo(before);
    }

    @Test
    void calendarOpensListedDaysAndClosesHolidaysAndWeekends() throws IOException {
        write("jobs:\n  a:\n    local: { command: [x] }\n    schedule: { calendar: tokyo, days: business-days,"
                + " at: \"01:00\" }\n");
        BusinessCalendar tokyo =
                new CatalogLoader().load(dir).schedules().get("a").calendar();
        assertThat(tokyo.isOpen(LocalDate.of(2026, 5, 9)))
                .as("a Saturday listed as open")
                .isTrue();
        assertThat(tokyo.isOpen(LocalDate.of(2026, 5, 10))).isFalse();
        assertThat(tokyo.isOpen(LocalDate.of(2026, 5, 5))).isFalse();
        assertThat(tokyo.nextOpen(LocalDate.of(2026, 5, 2))).hasValue(LocalDate.of(2026, 5, 7));
        assertThat(tokyo.previousOpen(LocalDate.of(2026, 5, 6))).hasValue(LocalDate.of(2026, 5, 1));
        assertThat(tokyo.weeklyClosed()).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }

    @Test
    void cronMatchesLikeVixieCron() {
        CronSpec weekdays = CronSpec.parse("30 2 * * 1-5");
        assertThat(weekdays.matches(LocalDate.of(2026, 12, 4))).isTrue();
        assertThat(weekdays.matches(LocalDate.of(2026, 12, 5))).isFalse();
        assertThat(weekdays.times()).containsExactly(LocalTime.of(2, 30));
        CronSpec either = CronSpec.parse("0 0 1 * SUN");
        assertThat(either.matches(LocalDate.of(2026, 12, 1)))
                .as("a Tuesday, the 1st")
                .isTrue();
        assertThat(either.matches(LocalDate.of(2026, 12, 6))).as("a Sunday").isTrue();
        assertThat(either.matches(LocalDate.of(2026, 12, 2))).isFalse();
        assertThat(CronSpec.parse("0 0 * * 7").matches(LocalDate.of(2026, 12, 6)))
                .isTrue();
        assertThat(CronSpec.parse("5/20 * * FEB *").times()).hasSize(3 * 24);
        assertThat(CronSpec.check("0 0 L * *")).get().asString().contains("L, W and # are not supported");
        assertThat(CronSpec.check("0 0 * *")).get().asString().contains("has 5 fields");
        assertThatThrownBy(() -> CronSpec.parse("0 5-1 * * *")).hasMessageContaining("runs backwards");
    }
}
