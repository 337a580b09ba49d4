package io.batchgate.catalog;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How runs of one job may overlap.
 *
 * @param maxQueued how many triggers may wait with {@link Overlap#QUEUE}; ignored otherwise
 * @param maxConcurrent the most runs active at once; empty for the overlap's own limit (see {@link #slots()})
 */
public record ConcurrencyPolicy(Overlap overlap, int maxQueued, Optional<Integer> maxConcurrent) {

    static final int DEFAULT_MAX_QUEUED = 100;
    static final int MAX_LIMIT = 10_000;
    private static final ConcurrencyPolicy DEFAULTS =
            new ConcurrencyPolicy(Overlap.ALLOW, DEFAULT_MAX_QUEUED, Optional.empty());

    public ConcurrencyPolicy {
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(maxConcurrent, "maxConcurrent");
        if (maxQueued < 1 || maxQueued > MAX_LIMIT) {
            throw new IllegalArgumentException("maxQueued must be from 1 to 10000, found " + maxQueued);
        }
        maxConcurrent.ifPresent(max -> {
            if (max < 1 || max > MAX_LIMIT) {
                throw new IllegalArgumentException("maxConcurrent must be from 1 to 10000, found " + max);
            }
            if (max != 1 && (overlap == Overlap.FORBID || overlap == Overlap.REPLACE)) {
                throw new IllegalArgumentException(
                        "maxConcurrent must be 1 with overlap " + overlap.id() + ", found " + max);
            }
        });
    }

    /** Overlap allowed without limit; 100 queued triggers (unused unless the overlap is queue). */
    public static ConcurrencyPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * The number of runs of the job that may be launching/running/stopping at once: maxConcurrent, or 1 for
     * FORBID/REPLACE/QUEUE, or unlimited (empty) for ALLOW without maxConcurrent.
     */
    public OptionalInt slots() {
        if (maxConcurrent.isPresent()) {
            return OptionalInt.of(maxConcurrent.get());
        }
        return overlap == Overlap.ALLOW ? OptionalInt.empty() : OptionalInt.of(1);
    }
}
