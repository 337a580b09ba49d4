package io.batchgate.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A YAML mapping at a dotted path, read key by key. Unknown keys are reported once, when the reader is made; a missing
 * required key is reported on the line of the key that owns the mapping.
 */
final class MappingReader {

    private final LocatedNode.Mapping mapping;
    private final String path;
    private final int line;
    private final Problems problems;

    private MappingReader(LocatedNode.Mapping mapping, String path, int line, Problems problems) {
        this.mapping = mapping;
        this.path = path;
        this.line = line;
        this.problems = problems;
    }

    /**
     * @param ownerLine the line of the key whose value this is
     * @param allowedKeys the keys this mapping may have, or empty for free-form maps (env, tags, params)
     */
    static Optional<MappingReader> of(
            LocatedNode node, String path, int ownerLine, Problems problems, List<String> allowedKeys) {
        LocatedNode.Mapping mapping;
        if (node instanceof LocatedNode.Mapping m) {
            mapping = m;
        } else if (node instanceof LocatedNode.Scalar scalar && scalar.kind() == LocatedNode.Kind.NULL) {
            // "params:" with nothing under it reads as an empty mapping, as a user expects.
            mapping = new LocatedNode.Mapping(List.of(), ownerLine);
        } else {
            problems.error(node.line(), path, "must be a mapping, found " + node.describe());
            return Optional.empty();
        }
        MappingReader reader = new MappingReader(mapping, path, ownerLine, problems);
        if (!allowedKeys.isEmpty()) {
            for (LocatedNode.Entry entry : mapping.entries()) {
                if (!allowedKeys.contains(entry.key())) {
                    problems.error(
                            entry.keyLine(),
                            reader.field(entry.key()),
                            "unknown key '" + entry.key() + "' (allowed: " + String.join(", ", allowedKeys) + ")");
                }
            }
        }
        return Optional.of(reader);
    }

    String path() {
        return path;
    }

    int line() {
        return line;
    }

    Problems problems() {
        return problems;
    }

    List<LocatedNode.Entry> entries() {
        return mapping.entries();
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return entry(key).isPresent();
    }

    Optional<LocatedNode.Entry> entry(String key) {
        return mapping.entries().stream().filter(e -> e.key().equals(key)).findFirst();
    }

    Optional<LocatedNode> value(String key) {
        return entry(key).map(LocatedNode.Entry::value);
    }

    void error(String key, String message) {
        int at = entry(key).map(LocatedNode.Entry::keyLine).orElse(line);
        problems.error(at, field(key), message);
    }

    void missing(String key) {
        problems.error(line, field(key), "required");
    }

    Optional<String> string(String key) {
        return value(key).flatMap(node -> Values.string(node, field(key), problems));
    }

    /** A non-blank string that must be present. */
    Optional<String> requiredString(String key) {
        if (!has(key)) {
            missing(key);
            return Optional.empty();
        }
        return value(key).flatMap(node -> Values.nonEmptyString(node, field(key), problems));
    }

    Optional<Integer> integer(String key, int min, int max) {
        return value(key).flatMap(node -> Values.integer(node, field(key), min, max, problems));
    }

    Optional<Double> number(String key, double min, double max) {
        return value(key).flatMap(node -> Values.number(node, field(key), min, max, problems));
    }

    Optional<Duration> duration(String key) {
        return value(key).flatMap(node -> Values.duration(node, field(key), problems));
    }

    /** A non-blank string if the key is present. */
    Optional<String> nonEmptyString(String key) {
        return value(key).flatMap(node -> Values.nonEmptyString(node, field(key), problems));
    }

    Optional<Boolean> bool(String key) {
        return value(key).flatMap(node -> Values.bool(node, field(key), problems));
    }

    Optional<String> oneOf(String key, List<String> choices) {
        return value(key).flatMap(node -> Values.oneOf(node, field(key), choices, problems));
    }

    Optional<List<String>> strings(String key, boolean nonEmpty) {
        return value(key).flatMap(node -> Values.strings(node, field(key), nonEmpty, problems));
    }

    Optional<LocatedNode.Sequence> sequence(String key, boolean nonEmpty) {
        return value(key).flatMap(node -> Values.sequence(node, field(key), nonEmpty, problems));
    }

    Optional<MappingReader> mapping(String key, List<String> allowedKeys) {
        return entry(key).flatMap(e -> of(e.value(), field(key), e.keyLine(), problems, allowedKeys));
    }
}
