package io.batchgate.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads a job's {@code timeouts} section. */
final class TimeoutsReader {

    static final List<String> KEYS = List.of("run", "start", "stopGrace");

    private TimeoutsReader() {}

    /** @param onEcs whether the job may run on ECS, where the task definition's stopTimeout applies instead */
    static Optional<Timeouts> read(MappingReader timeouts, boolean onEcs) {
        Problems problems = timeouts.problems();
        int before = problems.errorCount();
        Optional<Duration> run = timeouts.duration("run");
        Optional<Duration> start = timeouts.duration("start");
        Optional<Duration> stopGrace = timeouts.duration("stopGrace");
        stopGrace.ifPresent(grace -> {
            if (grace.compareTo(Timeouts.MAX_STOP_GRACE) > 0) {
                timeouts.error(
                        "stopGrace",
                        "must be at most " + Durations.format(Timeouts.MAX_STOP_GRACE) + ", found '"
                                + Durations.format(grace) + "'");
            }
        });
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        if (onEcs && timeouts.has("stopGrace")) {
            problems.warning(
                    timeouts.entry("stopGrace").orElseThrow().keyLine(),
                    timeouts.field("stopGrace"),
                    "stopGrace is only honoured by the local runtime; on ECS the container's stopTimeout in the"
                            + " task definition applies (max 120 s on Fargate)");
        }
        return Optional.of(new Timeouts(run, start, stopGrace.orElse(Timeouts.DEFAULT_STOP_GRACE)));
    }
}
