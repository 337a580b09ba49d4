package io.batchgate.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before retrying: exponential from {@code initial}, capped at {@code max}.
 *
 * @param multiplier from 1.0 (a constant wait) to 10.0
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

    static final double MIN_MULTIPLIER = 1.0;
    static final double MAX_MULTIPLIER = 10.0;
    private static final Backoff DEFAULTS = new Backoff(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive, found " + initial);
        }
        if (!(multiplier >= MIN_MULTIPLIER && multiplier <= MAX_MULTIPLIER)) {
            throw new IllegalArgumentException("multiplier must be from 1.0 to 10.0, found " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max " + max + " is less than initial " + initial);
        }
    }

    /** 30s, doubling, at most 10m. */
    public static Backoff defaults() {
        return DEFAULTS;
    }

    /**
     * The cap of the wait before retry number n (n = 1 for the first retry): min(max, initial * multiplier^(n-1)).
     * Full jitter is applied by the caller.
     */
    public Duration ceiling(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber must be at least 1, found " + retryNumber);
        }
        // In double nanoseconds: exact for the usual values, and no overflow for a large retry number.
        double ceiling = nanos(initial) * Math.pow(multiplier, retryNumber - 1);
        if (ceiling >= nanos(max)) {
            return max;
        }
        return Duration.ofNanos(Math.round(ceiling));
    }

    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }
}
