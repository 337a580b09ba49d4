package io.batchgate.catalog;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which exit codes count as success or warning; every other code is a failure. */
public record ExitCodePolicy(Set<Integer> success, Set<Integer> warning) {

    private static final ExitCodePolicy DEFAULTS = new ExitCodePolicy(Set.of(0), Set.of());

    public ExitCodePolicy {
        success = sortedCopy(success, "success");
        warning = sortedCopy(warning, "warning");
        if (success.isEmpty()) {
            throw new IllegalArgumentException("success must list at least one exit code");
        }
        for (Integer code : warning) {
            if (success.contains(code)) {
                throw new IllegalArgumentException("exit code " + code + " is both success and warning");
            }
        }
    }

    /** Success is {@code 0}, nothing is a warning. */
    public static ExitCodePolicy defaults() {
        return DEFAULTS;
    }

    public ExitJudgment judge(int exitCode) {
        if (success.contains(exitCode)) {
            return ExitJudgment.SUCCESS;
        }
        return warning.contains(exitCode) ? ExitJudgment.WARNING : ExitJudgment.FAILURE;
    }

    private static SortedSet<Integer> sortedCopy(Set<Integer> codes, String what) {
        SortedSet<Integer> copy = new TreeSet<>();
        for (Integer code : Objects.requireNonNull(codes, what)) {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException(what + " exit code must be from 0 to 255, found " + code);
            }
            copy.add(code);
        }
        return Collections.unmodifiableSortedSet(copy);
    }
}
