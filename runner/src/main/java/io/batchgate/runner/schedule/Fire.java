package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec.StartTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One nominal time of a schedule: the business day it is for, the start time of that day as the
 * catalog writes it (up to 47:59), and the instant it resolves to in the schedule's time zone.
 */
public record Fire(String schedule, LocalDate nominalDate, StartTime start, Instant nominal) {

    public Fire {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(nominalDate, "nominalDate");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(nominal, "nominal");
    }
}
