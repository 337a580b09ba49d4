package io.batchgate.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads typed values out of {@link LocatedNode}s, reporting "must be X, found Y" problems. Strict like the JSON Schema:
 * {@code 4} is not a string and {@code "4"} is not an integer.
 */
final class Values {

    private Values() {}

    static Optional<String> string(LocatedNode node, String field, Problems problems) {
        if (node instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.STRING) {
            return Optional.of(scalar.text());
        }
        problems.error(node.line(), field, "must be a string, found " + node.describe());
        return Optional.empty();
    }

    static Optional<String> nonEmptyString(LocatedNode node, String field, Problems problems) {
        Optional<String> text = string(node, field, problems);
        if (text.isPresent() && text.get().isBlank()) {
            problems.error(node.line(), field, "must not be empty");
            return Optional.empty();
        }
        return text;
    }

    static Optional<Integer> integer(LocatedNode node, String field, int min, int max, Problems problems) {
        if (node instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.INT) {
            try {
                int value = Integer.parseInt(scalar.text());
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // out of int range: reported below like any other out-of-range value
            }
        }
        problems.error(node.line(), field, integerExpectation(min, max) + ", found " + node.describe());
        return Optional.empty();
    }

    private static String integerExpectation(int min, int max) {
        if (min == Integer.MIN_VALUE && max == Integer.MAX_VALUE) {
            return "must be an integer";
        }
        if (max == Integer.MAX_VALUE) {
            return "must be an integer of at least " + min;
        }
        return "must be an integer from " + min + " to " + max;
    }

    /** A number written as an integer ({@code 2}) or a decimal ({@code 1.5}). */
    static Optional<Double> number(LocatedNode node, String field, double min, double max, Problems problems) {
        if (node instanceof LocatedNode.Scalar scalar
                && (scalar.kind() == LocatedNode.Kind.INT || scalar.kind() == LocatedNode.Kind.FLOAT)) {
            try {
                double value = Double.parseDouble(scalar.text());
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // not a plain decimal (.inf, .nan): reported below
            }
        }
        problems.error(
                node.line(), field, "must be a number from " + min + " to " + max + ", found " + node.describe());
        return Optional.empty();
    }

    /** A positive {@link Durations duration} of at most {@link Durations#MAX}. */
    static Optional<Duration> duration(LocatedNode node, String field, Problems problems) {
        Optional<Duration> duration = Optional.empty();
        if (node instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.STRING) {
            duration = Durations.parse(scalar.text());
        }
        if (duration.isEmpty()) {
            problems.error(
                    node.line(),
                    field,
                    "must be a duration such as 500ms, 30s, 10m, 2h, 1d or PT30S, found " + node.describe());
        } else if (duration.get().isNegative() || duration.get().isZero()) {
            problems.error(node.line(), field, "must be a positive duration, found " + node.describe());
            return Optional.empty();
        } else if (duration.get().compareTo(Durations.MAX) > 0) {
            problems.error(
                    node.line(),
                    field,
                    "must be at most " + Durations.format(Durations.MAX) + ", found " + node.describe());
            return Optional.empty();
        }
        return duration;
    }

    static Optional<Boolean> bool(LocatedNode node, String field, Problems problems) {
        if (node instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.BOOL) {
            return Optional.of(Boolean.parseBoolean(scalar.text()));
        }
        problems.error(node.line(), field, "must be true or false, found " + node.describe());
        return Optional.empty();
    }

    static Optional<String> oneOf(LocatedNode node, String field, List<String> choices, Problems problems) {
        if (node instanceof LocatedNode.Scalar scalar
                && scalar.kind() == LocatedNode.Kind.STRING
                && choices.contains(scalar.text())) {
            return Optional.of(scalar.text());
        }
        problems.error(
                node.line(), field, "must be one of " + String.join(", ", choices) + ", found " + node.describe());
        return Optional.empty();
    }

    static Optional<LocatedNode.Sequence> sequence(
            LocatedNode node, String field, boolean nonEmpty, Problems problems) {
        if (!(node instanceof LocatedNode.Sequence sequence)) {
            problems.error(node.line(), field, "must be a list, found " + node.describe());
            return Optional.empty();
        }
        if (nonEmpty && sequence.items().isEmpty()) {
            problems.error(node.line(), field, "must not be empty");
            return Optional.empty();
        }
        return Optional.of(sequence);
    }

    /** A list of strings; empty if the node or any item is wrong (each wrong item is reported). */
    static Optional<List<String>> strings(LocatedNode node, String field, boolean nonEmpty, Problems problems) {
        Optional<LocatedNode.Sequence> sequence = sequence(node, field, nonEmpty, problems);
        if (sequence.isEmpty()) {
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        boolean valid = true;
        List<LocatedNode> items = sequence.get().items();
        for (int i = 0; i < items.size(); i++) {
            Optional<String> item = string(items.get(i), field + "[" + i + "]", problems);
            valid &= item.isPresent();
            item.ifPresent(strings::add);
        }
        return valid ? Optional.of(strings) : Optional.empty();
    }
}
