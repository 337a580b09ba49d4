package io.batchgate.runner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fire times computed without a clock: a year on a calendar, month ends, the leap day, DST, 47:00. */
class FireTimesTests {

    @TempDir
    Path dir;

    private static Path sampleCalendar() {
        Path fromModule = Path.of("../job-catalog/sample/calendars/jp-business.yaml");
        return Files.exists(fromModule) ? fromModule : Path.of("job-catalog/sample/calendars/jp-business.yaml");
    }

    /** A job {@code s} with this schedule block (indented under schedule:), on the sample's Tokyo calendar. */
    private ScheduleSpec schedule(String block) throws IOException {
        Files.createDirectories(dir.resolve("calendars"));
        Files.copy(sampleCalendar(), dir.resolve("calendars/jp-business.yaml"));
        Files.writeString(
                dir.resolve("jobs.yaml"),
                "jobs:\n  s:\n    local: { command: [x] }\n    params: { D: { type: date } }\n    schedule:\n"
                        + block.stripIndent().lines().map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n"));
        Catalog catalog = new CatalogLoader().load(dir);
        return catalog.schedules().get("s");
    }

    private static List<Fire> year(ScheduleSpec s, int year) {
        // a generous window, then the fires whose business day is in the year
        return FireTimes.between(
                        s, Instant.parse(year - 1 + "-12-25T00:00:00Z"), Instant.parse(year + 1 + "-01-05T00:00:00Z"))
                .stream()
                .filter(f -> f.nominalDate().getYear() == year)
                .toList();
    }

    @Test
    void everyBusinessDayOfAYearAt2530() throws IOException {
        ScheduleSpec s = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                days: business-days
                at: "25:30"
                """);
        List<Fire> fires = year(s, 2026);
        // 261 weekdays in 2026, 19 of them holidays in the calendar
        assertThat(fires).hasSize(242);
        assertThat(fires.get(0).nominalDate()).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(fires.get(0).nominal()).isEqualTo(Instant.parse("2026-01-05T16:30:00Z"));
        assertThat(fires)
                .extracting(Fire::nominalDate)
                .doesNotContain(LocalDate.of(2026, 5, 4), LocalDate.of(2026, 5, 6));
        Fire friday = fires.stream()
                .filter(f -> f.nominalDate().equals(LocalDate.of(2026, 5, 1)))
                .findFirst()
                .orElseThrow();
        assertThat(friday.nominal())
                .as("01:30 on Saturday in Tokyo, for Friday")
                .isEqualTo(Instant.parse("2026-05-01T16:30:00Z"));
        assertThat(fires.get(fires.indexOf(friday) + 1).nominalDate()).isEqualTo(LocalDate.of(2026, 5, 7));
        assertThat(fires.get(fires.size() - 1).nominalDate()).isEqualTo(LocalDate.of(2026, 12, 30));
        assertThat(s.paramsFor(friday.nominalDate())).isEmpty();
    }

    @Test
    void lastAndNthBusinessDayOfTheMonth() throws IOException {
        ScheduleSpec last = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                days: last-business-day
                at: "22:00"
                """);
        assertThat(year(last, 2026))
                .extracting(Fire::nominalDate)
                .containsExactly(
                        LocalDate.of(2026, 1, 30),
                        LocalDate.of(2026, 2, 27),
                        LocalDate.of(2026, 3, 31),
                        LocalDate.of(2026, 4, 30),
                        LocalDate.of(2026, 5, 29),
                        LocalDate.of(2026, 6, 30),
                        LocalDate.of(2026, 7, 31),
                        LocalDate.of(2026, 8, 31),
                        LocalDate.of(2026, 9, 30),
                        LocalDate.of(2026, 10, 30),
                        LocalDate.of(2026, 11, 30),
                        LocalDate.of(2026, 12, 30));
        assertThat(FireTimes.between(
                        last, Instant.parse("2028-02-01T00:00:00Z"), Instant.parse("2028-03-01T00:00:00Z")))
                .as("2028 is not in the calendar: weekends only; the leap day is a Tuesday")
                .extracting(Fire::nominalDate)
                .containsExactly(LocalDate.of(2028, 2, 29));
        dir.resolve("jobs.yaml").toFile().delete();
        dir.resolve("calendars/jp-business.yaml").toFile().delete();
        ScheduleSpec third = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                days: { businessDay: 3 }
                at: "09:00"
                """);
        assertThat(FireTimes.between(
                        third, Instant.parse("2026-04-30T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")))
                .as("May 1 open, 4-6 Golden Week, 7 second, 8 third")
                .extracting(Fire::nominalDate)
                .containsExactly(LocalDate.of(2026, 5, 8));
    }

    @Test
    void closedDaysShiftToTheNextOrPreviousOpenDayOrAreSkipped() throws IOException {
        ScheduleSpec previous = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                days: { monthDay: -1 }
                at: "20:00"
                ifClosed: previous
                """);
        assertThat(FireTimes.between(
                        previous, Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")))
                .as("May 31 2026 is a Sunday")
                .extracting(Fire::nominalDate)
                .containsExactly(LocalDate.of(2026, 5, 29));
        dir.resolve("calendars/jp-business.yaml").toFile().delete();
        ScheduleSpec next = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                days: { monthDay: 4 }
                at: "20:00"
                ifClosed: next
                """);
        assertThat(FireTimes.between(
                        next, Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")))
                .as("May 4 to 6 are closed")
                .extracting(Fire::nominalDate)
                .containsExactly(LocalDate.of(2026, 5, 7));
        dir.resolve("calendars/jp-business.yaml").toFile().delete();
        ScheduleSpec skip = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                cron: "0 6 4 * *"
                """);
        assertThat(year(skip, 2026))
                .extracting(Fire::nominalDate)
                .doesNotContain(LocalDate.of(2026, 5, 4))
                // the 4th: January (Sun), April (Sat), May (holiday), July (Sat), October (Sun) are closed
                .hasSize(7);
    }

    @Test
    void theLeapDayFiresOnlyInLeapYears() throws IOException {
        ScheduleSpec s = schedule("""
                tz: UTC
                days: { monthDay: 29 }
                at: "12:00"
                """);
        assertThat(FireTimes.between(s, Instant.parse("2027-02-01T00:00:00Z"), Instant.parse("2027-03-01T00:00:00Z")))
                .isEmpty();
        assertThat(FireTimes.between(s, Instant.parse("2028-02-01T00:00:00Z"), Instant.parse("2028-03-01T00:00:00Z")))
                .extracting(Fire::nominal)
                .containsExactly(Instant.parse("2028-02-29T12:00:00Z"));
    }

    @Test
    void parisDstGapFiresOnceAfterTheGapAndTheRepeatedHourOnce() throws IOException {
        ScheduleSpec s = schedule("""
                tz: Europe/Paris
                days: every-day
                at: ["02:00", "02:30"]
                """);
        assertThat(FireTimes.between(s, Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T23:00:00Z")))
                .extracting(Fire::nominal)
                .containsExactly(
                        Instant.parse("2026-03-28T01:00:00Z"),
                        Instant.parse("2026-03-28T01:30:00Z"),
                        // 02:00 and 02:30 do not exist on the 29th: both land on 03:00 CEST, which fires once
                        Instant.parse("2026-03-29T01:00:00Z"),
                        Instant.parse("2026-03-30T00:00:00Z"),
                        Instant.parse("2026-03-30T00:30:00Z"));
        assertThat(FireTimes.between(s, Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-25T12:00:00Z")))
                .as("02:00 and 02:30 exist twice on October 25th: each fires once, at its first (CEST) occurrence")
                .extracting(Fire::nominal)
                .containsExactly(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T00:30:00Z"));
    }

    @Test
    void newYorkDstGapAndRepeatedHour() throws IOException {
        ScheduleSpec s = schedule("""
                tz: America/New_York
                cron: "30 1,2 * * *"
                """);
        assertThat(FireTimes.between(s, Instant.parse("2026-03-08T00:00:00Z"), Instant.parse("2026-03-09T00:00:00Z")))
                .as("01:30 EST; 02:30 does not exist and fires at 03:00 EDT")
                .extracting(Fire::nominal)
                .containsExactly(Instant.parse("2026-03-08T06:30:00Z"), Instant.parse("2026-03-08T07:00:00Z"));
        assertThat(FireTimes.between(s, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z")))
                .as("01:30 happens twice (EDT then EST): once, at 05:30Z; 02:30 EST")
                .extracting(Fire::nominal)
                .containsExactly(Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-01T07:30:00Z"));
    }

    @Test
    void a4700StartFiresAt23OnTheNextCalendarDayForItsBusinessDay() throws IOException {
        ScheduleSpec s = schedule("""
                calendar: jp-business
                tz: Asia/Tokyo
                days: business-days
                at: "47:00"
                until: 2026-12-04
                params: { D: "${nominalDate}" }
                """);
        List<Fire> fires =
                FireTimes.between(s, Instant.parse("2026-12-04T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(fires).hasSize(2);
        assertThat(fires.get(0).nominalDate()).isEqualTo(LocalDate.of(2026, 12, 3));
        assertThat(fires.get(0).nominal())
                .as("23:00 on Friday the 4th in Tokyo")
                .isEqualTo(Instant.parse("2026-12-04T14:00:00Z"));
        assertThat(fires.get(0).start()).hasToString("47:00");
        assertThat(fires.get(1).nominalDate())
                .as("the end date is the last nominal day")
                .isEqualTo(LocalDate.of(2026, 12, 4));
        assertThat(s.paramsFor(fires.get(0).nominalDate())).containsEntry("D", "2026-12-03");
        assertThat(FireTimes.next(s, Instant.parse("2026-12-01T00:00:00Z"), 5))
                .as("November 30th (fires on December 1st) to December 4th, then the end date")
                .hasSize(5);
    }
}
