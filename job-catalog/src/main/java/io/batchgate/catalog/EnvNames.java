package io.batchgate.catalog;

import java.util.Collection;
import java.util.Set;
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

    /**
     * Reports why {@code name}, a key at {@code line}, cannot be an environment variable set from
     * the catalog (reserved, malformed, or the name of a parameter, which is passed as env);
     * returns whether it can.
     */
    static boolean check(String name, int line, String field, Set<String> paramNames, Problems problems) {
        if (name.startsWith(RESERVED_PREFIX)) {
            problems.error(line, field, "uses reserved prefix " + RESERVED_PREFIX + " (set by batchgate at launch)");
            return false;
        }
        if (!NAME.matcher(name).matches()) {
            problems.error(line, field, "must be an environment variable name matching " + NAME.pattern());
            return false;
        }
        if (paramNames.contains(name)) {
            problems.error(line, field, "clashes with parameter " + name + " (params are passed as env)");
            return false;
        }
        return true;
    }

    static void requireValid(Collection<String> names) {
        for (String name : names) {
            if (!isValid(name)) {
                throw new IllegalArgumentException("invalid environment variable name: " + name);
            }
        }
    }
}
