package io.batchgate.runner.ledger;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Instants are stored as UTC wall-clock DATETIME values: neither H2 nor Connector/J converts a
 * LocalDateTime by session time zone, so what is stored is what was meant on every JVM.
 */
final class SqlTime {

    private SqlTime() {}

    static @Nullable LocalDateTime toSql(@Nullable Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static @Nullable Instant fromSql(@Nullable LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
