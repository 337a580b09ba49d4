package io.batchgate.runner.ledger;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * Instants are stored as UTC wall-clock DATETIME(3) values: neither H2 nor Connector/J converts a
 * LocalDateTime by session time zone, so what is stored is what was meant on every JVM.
 *
 * <p>They are bound as text ({@code 2026-12-03 08:49:34.123}), which every database converts to
 * the column's type with its milliseconds: Connector/J takes MariaDB 10.x, which announces itself
 * as "5.5.5-10.x", for a server without fractional seconds and drops them from LocalDateTime and
 * Timestamp parameters, so deadlines, retry times and every timeline would keep whole seconds
 * only — a 1 s run timeout could strike after a few milliseconds.
 */
public final class SqlTime {

    private static final DateTimeFormatter TEXT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private SqlTime() {}

    /** The SQL parameter for an instant (null for null). */
    public static @Nullable String toSql(@Nullable Instant instant) {
        return instant == null ? null : TEXT.format(instant);
    }

    public static @Nullable Instant fromSql(@Nullable LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
