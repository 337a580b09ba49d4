package io.batchgate.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a job's {@code retry} section. */
final class RetryPolicyReader {

    static final List<String> KEYS = List.of("maxAttempts", "backoff", "rules");
    static final List<String> BACKOFF_KEYS = List.of("initial", "multiplier", "max");
    static final List<String> RULE_KEYS =
            List.of("exitCodes", "stopCode", "stopReason", "timedOut", "startTimedOut", "lost", "action");
    static final List<String> ACTIONS = List.of("RETRY", "FAIL");

    private static final Pattern RANGE = Pattern.compile("([0-9]{1,9})-([0-9]{1,9})");

    private RetryPolicyReader() {}

    static Optional<RetryPolicy> read(MappingReader retry) {
        Problems problems = retry.problems();
        int before = problems.errorCount();
        int maxAttempts =
                retry.integer("maxAttempts", 1, RetryPolicy.MAX_ATTEMPTS).orElse(1);
        Optional<Backoff> backoff = retry.has("backoff")
                ? retry.mapping("backoff", BACKOFF_KEYS).flatMap(RetryPolicyReader::readBackoff)
                : Optional.of(Backoff.defaults());
        List<RetryRule> rules = new ArrayList<>();
        retry.sequence("rules", false).ifPresent(sequence -> {
            List<LocatedNode> items = sequence.items();
            for (int i = 0; i < items.size(); i++) {
                LocatedNode item = items.get(i);
                String field = retry.field("rules") + "[" + i + "]";
                MappingReader.of(item, field, item.line(), problems, RULE_KEYS)
                        .flatMap(RetryPolicyReader::readRule)
                        .ifPresent(rules::add);
            }
        });
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        boolean anyRetry = rules.stream().anyMatch(rule -> rule.action() == RetryAction.RETRY);
        if (anyRetry && maxAttempts == 1) {
            problems.warning(
                    retry.entry("rules").orElseThrow().keyLine(),
                    retry.field("rules"),
                    "rules can never retry: maxAttempts is 1");
        } else if (!anyRetry && maxAttempts > 1) {
            problems.warning(
                    retry.entry("maxAttempts").orElseThrow().keyLine(),
                    retry.field("maxAttempts"),
                    "maxAttempts is " + maxAttempts
                            + " but no rule has action RETRY, so failed attempts are never retried");
        }
        return Optional.of(new RetryPolicy(maxAttempts, backoff.orElseThrow(), rules));
    }

    private static Optional<Backoff> readBackoff(MappingReader backoff) {
        int before = backoff.problems().errorCount();
        Backoff defaults = Backoff.defaults();
        Duration initial = backoff.duration("initial").orElse(defaults.initial());
        double multiplier = backoff.number("multiplier", Backoff.MIN_MULTIPLIER, Backoff.MAX_MULTIPLIER)
                .orElse(defaults.multiplier());
        Duration max = backoff.duration("max").orElse(defaults.max());
        if (backoff.problems().errorCount() != before) {
            return Optional.empty();
        }
        if (max.compareTo(initial) < 0) {
            if (backoff.has("max")) {
                backoff.error(
                        "max", "max " + Durations.format(max) + " is less than initial " + Durations.format(initial));
            } else {
                backoff.error(
                        "initial",
                        "initial " + Durations.format(initial) + " is greater than the default max "
                                + Durations.format(max) + " (set max too)");
            }
            return Optional.empty();
        }
        return Optional.of(new Backoff(initial, multiplier, max));
    }

    private static Optional<RetryRule> readRule(MappingReader rule) {
        Problems problems = rule.problems();
        int before = problems.errorCount();
        List<ExitCodeRange> exitCodes = rule.sequence("exitCodes", true)
                .map(sequence -> readExitCodes(rule, sequence))
                .orElse(List.of());
        Optional<String> stopCode = rule.nonEmptyString("stopCode");
        Optional<String> stopReason = rule.nonEmptyString("stopReason");
        Optional<Boolean> timedOut = rule.bool("timedOut");
        Optional<Boolean> startTimedOut = rule.bool("startTimedOut");
        Optional<Boolean> lost = rule.bool("lost");
        Optional<RetryAction> action = rule.value("action").flatMap(node -> readAction(rule, node));
        if (!rule.has("action")) {
            rule.missing("action");
        }
        if (timedOut.orElse(false) && startTimedOut.orElse(false)) {
            rule.error(
                    "startTimedOut",
                    "startTimedOut: true never matches together with timedOut: true (a start timeout stops a task"
                            + " that is not running yet, the run timeout one that is)");
        }
        if (rule.has("exitCodes") && lost.orElse(false)) {
            rule.error("lost", "lost: true never matches together with exitCodes (a lost attempt has no exit code)");
        }
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new RetryRule(
                exitCodes, stopCode, stopReason, timedOut, startTimedOut, lost, action.orElseThrow(), rule.line()));
    }

    /** {@code RETRY} or {@code FAIL}; lower case is accepted too. */
    private static Optional<RetryAction> readAction(MappingReader rule, LocatedNode node) {
        if (node instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.STRING) {
            for (RetryAction action : RetryAction.values()) {
                if (scalar.text().equals(action.name())
                        || scalar.text().equals(action.name().toLowerCase(Locale.ROOT))) {
                    return Optional.of(action);
                }
            }
        }
        rule.problems()
                .error(
                        node.line(),
                        rule.field("action"),
                        "must be one of " + String.join(", ", ACTIONS) + ", found " + node.describe());
        return Optional.empty();
    }

    private static List<ExitCodeRange> readExitCodes(MappingReader rule, LocatedNode.Sequence sequence) {
        Problems problems = rule.problems();
        List<ExitCodeRange> ranges = new ArrayList<>();
        List<LocatedNode> items = sequence.items();
        for (int i = 0; i < items.size(); i++) {
            LocatedNode item = items.get(i);
            String field = rule.field("exitCodes") + "[" + i + "]";
            if (item instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.STRING) {
                readRange(scalar, field, problems).ifPresent(ranges::add);
            } else if (item instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.INT) {
                Values.integer(item, field, 0, 255, problems)
                        .map(ExitCodeRange::of)
                        .ifPresent(ranges::add);
            } else {
                problems.error(
                        item.line(),
                        field,
                        "must be an exit code from 0 to 255 or a range such as \"100-110\", found " + item.describe());
            }
        }
        return ranges;
    }

    private static Optional<ExitCodeRange> readRange(LocatedNode.Scalar scalar, String field, Problems problems) {
        Matcher range = RANGE.matcher(scalar.text());
        if (!range.matches()) {
            problems.error(
                    scalar.line(),
                    field,
                    "must be an exit code from 0 to 255 or a range such as \"100-110\", found " + scalar.describe());
            return Optional.empty();
        }
        int from = Integer.parseInt(range.group(1));
        int to = Integer.parseInt(range.group(2));
        if (from > 255 || to > 255) {
            problems.error(
                    scalar.line(), field, "range " + scalar.text() + " goes beyond 255 (exit codes are 0 to 255)");
            return Optional.empty();
        }
        if (from > to) {
            problems.error(
                    scalar.line(),
                    field,
                    "range " + scalar.text() + " is backwards: " + from + " is greater than " + to);
            return Optional.empty();
        }
        return Optional.of(new ExitCodeRange(from, to));
    }
}
