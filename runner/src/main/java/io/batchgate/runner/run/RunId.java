package io.batchgate.runner.run;

import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A run's public id: a UUIDv7 string, so ids sort by creation time and history pages by id.
 */
public record RunId(String value) implements Comparable<RunId> {

    public RunId {
        try {
            UUID parsed = UUID.fromString(value);
            if (!parsed.toString().equals(value)) {
                throw new IllegalArgumentException("run id must be a lower-case UUID: " + value);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a run id: " + abbreviate(value), e);
        }
    }

    /** A new time-ordered id (RFC 9562 version 7). */
    public static RunId next(long epochMillis, RandomGenerator random) {
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new RunId(new UUID(msb, lsb).toString());
    }

    /** Parses caller input; returns null for anything that is not a run id. */
    public static RunId parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return new RunId(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String value) {
        return value == null ? "null" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    @Override
    public int compareTo(RunId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
