package io.batchgate.catalog;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's time limits.
 *
 * @param run the longest one attempt may run, from its task's start; empty for no limit
 * @param start the longest from an attempt's first launch try to its task running; empty for no limit
 * @param stopGrace the time between the polite stop (SIGTERM) and the kill; the local runtime only, at most 1h
 */
public record Timeouts(Optional<Duration> run, Optional<Duration> start, Duration stopGrace) {

    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
    static final Duration MAX_STOP_GRACE = Duration.ofHours(1);
    private static final Timeouts DEFAULTS = new Timeouts(Optional.empty(), Optional.empty(), DEFAULT_STOP_GRACE);

    public Timeouts {
        requirePositive(Objects.requireNonNull(run, "run"), "run");
        requirePositive(Objects.requireNonNull(start, "start"), "start");
        Objects.requireNonNull(stopGrace, "stopGrace");
        requirePositive(Optional.of(stopGrace), "stopGrace");
        if (stopGrace.compareTo(MAX_STOP_GRACE) > 0) {
            throw new IllegalArgumentException("stopGrace must be at most 1h, found " + stopGrace);
        }
    }

    /** No run or start limit, a 30s stop grace. */
    public static Timeouts defaults() {
        return DEFAULTS;
    }

    private static void requirePositive(Optional<Duration> duration, String what) {
        duration.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, found " + d);
            }
        });
    }
}
