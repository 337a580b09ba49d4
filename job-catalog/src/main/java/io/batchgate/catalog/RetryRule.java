package io.batchgate.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One rule of a job's retry policy: the conditions it has must all hold for it to match an attempt's end; a rule
 * without conditions matches every end.
 *
 * @param exitCodes matches an end whose exit code is in one of the ranges; empty for no exit code condition
 * @param stopCode a glob ({@code *}, {@code ?}) the whole ECS stop code must match
 * @param stopReason a glob the whole stop reason or message must match
 * @param timedOut matches when the attempt was, or was not, stopped by the run timeout
 * @param startTimedOut matches when the attempt's task was, or was not, stopped for not running within the start
 *     timeout
 * @param lost matches when the attempt ended, or did not end, without an exit code
 * @param line the 1-based catalog line of the rule, 0 if it was not read from a catalog
 */
public record RetryRule(
        List<ExitCodeRange> exitCodes,
        Optional<String> stopCode,
        Optional<String> stopReason,
        Optional<Boolean> timedOut,
        Optional<Boolean> startTimedOut,
        Optional<Boolean> lost,
        RetryAction action,
        int line) {

    /** A rule without a start-timeout condition. */
    public RetryRule(
            List<ExitCodeRange> exitCodes,
            Optional<String> stopCode,
            Optional<String> stopReason,
            Optional<Boolean> timedOut,
            Optional<Boolean> lost,
            RetryAction action,
            int line) {
        this(exitCodes, stopCode, stopReason, timedOut, Optional.empty(), lost, action, line);
    }

    public RetryRule {
        exitCodes = List.copyOf(exitCodes);
        Objects.requireNonNull(stopCode, "stopCode");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(timedOut, "timedOut");
        Objects.requireNonNull(startTimedOut, "startTimedOut");
        Objects.requireNonNull(lost, "lost");
        Objects.requireNonNull(action, "action");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative: " + line);
        }
    }

    /** All present conditions must hold; exitCodes only match ends with a code. */
    public boolean matches(AttemptEnd end) {
        if (!exitCodes.isEmpty()) {
            if (end.exitCode().isEmpty()) {
                return false;
            }
            int code = end.exitCode().getAsInt();
            if (exitCodes.stream().noneMatch(range -> range.contains(code))) {
                return false;
            }
        }
        if (stopCode.isPresent() && !Glob.matches(stopCode.get(), end.stopCode())) {
            return false;
        }
        if (stopReason.isPresent() && !Glob.matches(stopReason.get(), end.stopReason())) {
            return false;
        }
        if (timedOut.isPresent() && timedOut.get() != end.timedOut()) {
            return false;
        }
        if (startTimedOut.isPresent() && startTimedOut.get() != end.startTimedOut()) {
            return false;
        }
        return lost.isEmpty() || lost.get() == end.lost();
    }

    /**
     * For run timelines, e.g. {@code rule at line 14 (exitCodes 75, 100-110 → RETRY)}; the rule's number in its policy
     * is not known to the rule, so its catalog line identifies it.
     */
    public String describe() {
        List<String> conditions = new ArrayList<>();
        if (!exitCodes.isEmpty()) {
            conditions.add("exitCodes "
                    + exitCodes.stream().map(ExitCodeRange::toString).collect(Collectors.joining(", ")));
        }
        stopCode.ifPresent(glob -> conditions.add("stopCode '" + glob + "'"));
        stopReason.ifPresent(glob -> conditions.add("stopReason '" + glob + "'"));
        timedOut.ifPresent(value -> conditions.add("timedOut " + value));
        startTimedOut.ifPresent(value -> conditions.add("startTimedOut " + value));
        lost.ifPresent(value -> conditions.add("lost " + value));
        String when = conditions.isEmpty() ? "any end" : String.join("; ", conditions);
        return (line > 0 ? "rule at line " + line : "rule") + " (" + when + " → " + action + ")";
    }
}
