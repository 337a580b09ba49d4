package io.batchgate.catalog;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying again: exponential from {@code initial}, capped at {@code max},
 * with a jitter mode. The one backoff of batchgate: a job's retries (from the catalog), refused
 * launches, the outbox relay, log forwarding, monitor pings and lock-conflict retries each hold
 * one with their own values. The random source is the caller's, so tests draw from a seeded one.
 *
 * @param initial the ceiling of the first wait; zero makes every wait zero
 * @param multiplier from 1.0 (a constant wait) to 10.0
 * @param jitter how the wait is drawn under the ceiling
 */
public record Backoff(Duration initial, double multiplier, Duration max, Jitter jitter) {

    static final double MIN_MULTIPLIER = 1.0;
    static final double MAX_MULTIPLIER = 10.0;
    private static final Backoff DEFAULTS = new Backoff(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10));

    /** How a wait is drawn under its ceiling, so that callers that failed together do not come back together. */
    public enum Jitter {
        /** Exactly the ceiling. */
        NONE,
        /** Uniformly from zero to the ceiling, both included ("full jitter"). */
        FULL,
        /** Half the ceiling plus a uniform draw from zero to the other half: spread out, never zero. */
        EQUAL
    }

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(jitter, "jitter");
        if (initial.isNegative()) {
            throw new IllegalArgumentException("initial must not be negative, found " + initial);
        }
        if (!(multiplier >= MIN_MULTIPLIER && multiplier <= MAX_MULTIPLIER)) {
            throw new IllegalArgumentException("multiplier must be from 1.0 to 10.0, found " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max " + max + " is less than initial " + initial);
        }
    }

    /** A job's retry backoff as the catalog writes it: full jitter. */
    public Backoff(Duration initial, double multiplier, Duration max) {
        this(initial, multiplier, max, Jitter.FULL);
    }

    /** Doubling from {@code initial} up to {@code max}. */
    public static Backoff doubling(Duration initial, Duration max, Jitter jitter) {
        return new Backoff(initial, 2.0, max, jitter);
    }

    /** 30s, doubling, at most 10m, full jitter. */
    public static Backoff defaults() {
        return DEFAULTS;
    }

    /**
     * The cap of the wait before try number n (n = 1 for the first): min(max, initial * multiplier^(n-1)). Any n is
     * fine: a large one gives {@code max}, never an overflow.
     */
    public Duration ceiling(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, found " + n);
        }
        if (initial.isZero()) {
            return Duration.ZERO;
        }
        // In double nanoseconds: exact for the usual values, and no overflow for a large n.
        double ceiling = nanos(initial) * Math.pow(multiplier, n - 1);
        if (ceiling >= nanos(max)) {
            return max;
        }
        return Duration.ofNanos(Math.round(ceiling));
    }

    /** The wait before try number n (n = 1 for the first), drawn from {@code random} as the jitter mode says. */
    public Duration delay(int n, RandomGenerator random) {
        long ceiling = ceiling(n).toNanos();
        return switch (jitter) {
            case NONE -> Duration.ofNanos(ceiling);
            case FULL -> Duration.ofNanos(random.nextLong(ceiling + 1));
            case EQUAL -> Duration.ofNanos(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
        };
    }

    /** The wait before try number n of a backoff without jitter, which needs no random source. */
    public Duration delay(int n) {
        if (jitter != Jitter.NONE) {
            throw new IllegalStateException("a backoff with " + jitter + " jitter draws from a random source");
        }
        return ceiling(n);
    }

    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }
}
