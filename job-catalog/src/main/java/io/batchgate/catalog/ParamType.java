package io.batchgate.catalog;

import java.util.Locale;
import java.util.Optional;

/** The type of a job parameter; every value travels as a string, normalized by {@link JobDefinition#bind}. */
public enum ParamType {
    STRING,
    INT,
    BOOL,
    DATE,
    ENUM;

    /** The name used in the catalog ({@code string}, {@code int}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ParamType> fromId(String id) {
        for (ParamType type : values()) {
            if (type.id().equals(id)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
