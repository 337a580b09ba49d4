package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.DayRule;
import io.batchgate.catalog.jp1.ImportedCatalog.Schedule;
import java.time.DayOfWeek;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a net's {@code schedule:} in the catalog's schedule format: {@code days} (a rule name or a mapping),
 * {@code at} (HH:mm up to 47:59), {@code tz}, {@code calendar}, {@code ifClosed}, {@code from}, {@code until}, and the
 * run's {@code AJSEXDATE} from the nominal date.
 */
final class ScheduleYamlWriter {

    Map<String, Object> schedule(Schedule schedule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tz", schedule.timeZone());
        schedule.calendar().ifPresent(c -> out.put("calendar", c));
        out.put("days", days(schedule.days()));
        out.put("at", schedule.at().size() == 1 ? schedule.at().get(0) : schedule.at());
        schedule.ifClosed().ifPresent(c -> out.put("ifClosed", c));
        schedule.from().ifPresent(d -> out.put("from", d.toString()));
        schedule.until().ifPresent(d -> out.put("until", d.toString()));
        out.put("params", Map.of(JobYamlWriter.EXDATE, "${" + JobYamlWriter.EXDATE + "}"));
        return out;
    }

    private static Object days(DayRule days) {
        if (days instanceof DayRule.BusinessDays) {
            return "business-days";
        }
        if (days instanceof DayRule.NthBusinessDay n) {
            return n.n() == -1 ? "last-business-day" : Map.of("businessDay", n.n());
        }
        if (days instanceof DayRule.MonthDay m) {
            return Map.of("monthDay", m.n());
        }
        if (days instanceof DayRule.Weekdays w) {
            return Map.of(
                    "weekdays",
                    w.days().stream().map(ScheduleYamlWriter::weekday).toList());
        }
        return "every-day";
    }

    static String weekday(DayOfWeek day) {
        return day.name().substring(0, 3).toUpperCase(Locale.ROOT);
    }
}
