package io.batchgate.catalog;

import java.util.Collection;
import java.util.regex.Pattern;

/** The rule for fixed environment variable names in {@code local.env} and {@code ecs.env}. */
final class EnvNames {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The runner sets {@code BATCHGATE_RUN_ID} and friends; a fixed value would shadow them. */
    static final String RESERVED_PREFIX = "BATCHGATE_";

    private EnvNames() {}

    static boolean isValid(String name) {
        return NAME.matcher(name).matches() && !name.startsWith(RESERVED_PREFIX);
    }

    static void requireValid(Collection<String> names) {
        for (String name : names) {
            if (!isValid(name)) {
                throw new IllegalArgumentException("invalid environment variable name: " + name);
            }
        }
    }
}
