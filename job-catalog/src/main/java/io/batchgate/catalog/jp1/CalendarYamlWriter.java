package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.Calendar;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a calendar file ({@code calendars/<name>.yaml}): weekly closed days and, per year, closed and open days. */
final class CalendarYamlWriter {

    String write(Calendar calendar, String header) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", "JP1 calendar of job group " + calendar.group().path());
        if (!calendar.weeklyClosed().isEmpty()) {
            out.put(
                    "weeklyClosed",
                    calendar.weeklyClosed().stream()
                            .map(ScheduleYamlWriter::weekday)
                            .toList());
        }
        Map<String, Object> years = new LinkedHashMap<>();
        calendar.years().forEach((year, days) -> {
            Map<String, Object> y = new LinkedHashMap<>();
            if (!days.closed().isEmpty()) {
                y.put("closed", days.closed().stream().map(Object::toString).toList());
            }
            if (!days.open().isEmpty()) {
                y.put("open", days.open().stream().map(Object::toString).toList());
            }
            years.put(String.valueOf(year), y);
        });
        if (!years.isEmpty()) {
            out.put("years", years);
        }
        return header + YamlText.render(Map.of("calendar", out));
    }
}
