package io.batchgate.catalog;

import java.util.Locale;
import java.util.Optional;

/** What a trigger does while another run of the same job is still active. */
public enum Overlap {
    /** Start another run alongside (up to {@code maxConcurrent}, if set). */
    ALLOW,
    /** Refuse the new trigger. */
    FORBID,
    /** Stop the active run, then start the new one. */
    REPLACE,
    /** Queue the new trigger until a run ends (up to {@code maxQueued} waiting). */
    QUEUE;

    /** The name used in the catalog ({@code allow}, {@code forbid}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Overlap> fromId(String id) {
        for (Overlap overlap : values()) {
            if (overlap.id().equals(id)) {
                return Optional.of(overlap);
            }
        }
        return Optional.empty();
    }
}
