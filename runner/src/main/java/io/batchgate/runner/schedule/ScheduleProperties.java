package io.batchgate.runner.schedule;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler loop every runner replica runs.
 *
 * @param enabled {@code false}: this replica fires no schedules (others sharing the database still do)
 * @param interval how often the replica looks for due fires; a fire is at most about this late
 * @param lateAfter a fire older than this when first looked at was missed while no runner was up,
 *     and follows its schedule's {@code catchUp}; younger ones fire normally
 * @param replica this replica's name in the fire ledger; the host name if empty
 */
@ConfigurationProperties("batchgate.schedule")
public record ScheduleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5s") Duration interval,
        @DefaultValue("2m") Duration lateAfter,
        @DefaultValue("") String replica) {

    public ScheduleProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("batchgate.schedule.interval must be positive, was " + interval);
        }
        if (lateAfter.compareTo(interval) <= 0) {
            throw new IllegalArgumentException(
                    "batchgate.schedule.late-after must be longer than the interval, was " + lateAfter);
        }
    }
}
