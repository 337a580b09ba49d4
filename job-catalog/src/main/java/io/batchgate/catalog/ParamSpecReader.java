package io.batchgate.catalog;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a job's {@code params} section. */
final class ParamSpecReader {

    static final List<String> KEYS = List.of(
            "type", "required", "default", "pattern", "maxLength", "min", "max", "values", "secret", "description");
    static final List<String> TYPES =
            Arrays.stream(ParamType.values()).map(ParamType::id).toList();

    private ParamSpecReader() {}

    /**
     * @param onEcs whether the job may run on ECS, where param values are visible as container overrides
     * @return the specs that have no problems, in catalog order
     */
    static Map<String, ParamSpec> read(MappingReader params, boolean onEcs) {
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        for (LocatedNode.Entry entry : params.entries()) {
            String field = params.field(entry.key());
            ParamSpec.nameProblem(entry.key())
                    .ifPresent(problem -> params.problems().error(entry.keyLine(), field, problem));
            MappingReader.of(entry.value(), field, entry.keyLine(), params.problems(), KEYS)
                    .flatMap(spec -> readSpec(entry.key(), spec, onEcs))
                    .ifPresent(spec -> specs.put(spec.name(), spec));
        }
        return specs;
    }

    private static Optional<ParamSpec> readSpec(String name, MappingReader spec, boolean onEcs) {
        Problems problems = spec.problems();
        int before = problems.errorCount();
        Optional<ParamType> type = spec.oneOf("type", TYPES).flatMap(ParamType::fromId);
        if (!spec.has("type")) {
            spec.missing("type");
        }
        boolean required = spec.bool("required").orElse(false);
        boolean secret = spec.bool("secret").orElse(false);
        String description = spec.string("description").orElse("");
        int maxLength = spec.integer("maxLength", 1, ParamSpec.MAX_MAX_LENGTH).orElse(ParamSpec.DEFAULT_MAX_LENGTH);
        Optional<Integer> min = spec.integer("min", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Optional<Integer> max = spec.integer("max", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Optional<Pattern> pattern = spec.string("pattern").flatMap(regex -> compile(spec, regex));
        List<String> values = readValues(spec);

        type.ifPresent(t -> {
            onlyFor(spec, t, ParamType.STRING, "pattern");
            onlyFor(spec, t, ParamType.INT, "min");
            onlyFor(spec, t, ParamType.INT, "max");
            onlyFor(spec, t, ParamType.ENUM, "values");
            if (t == ParamType.ENUM && !spec.has("values")) {
                spec.error("values", "required for type enum");
            }
        });
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            spec.error("min", "min " + min.get() + " is greater than max " + max.get());
        }
        Optional<String> defaultText = spec.value("default").flatMap(node -> scalarText(spec, node));
        if (required && spec.has("default")) {
            spec.error("default", "not allowed when required is true");
        }
        if (onEcs && secret) {
            spec.problems()
                    .warning(
                            spec.entry("secret").orElseThrow().keyLine(),
                            spec.field("secret"),
                            "secret param " + name
                                    + " would be visible in ECS DescribeTasks/CloudTrail as a container override,"
                                    + " so triggers that give it a value are refused on the ecs runtime; declare"
                                    + " the job's secrets under secrets: (env name: Secrets Manager or SSM ARN)"
                                    + " instead");
        }
        if (problems.errorCount() != before || ParamSpec.nameProblem(name).isPresent()) {
            return Optional.empty();
        }
        ParamSpec withoutDefault = new ParamSpec(
                name,
                type.orElseThrow(),
                required,
                Optional.empty(),
                pattern,
                maxLength,
                min,
                max,
                values,
                secret,
                description);
        if (defaultText.isEmpty()) {
            return Optional.of(withoutDefault);
        }
        ParamBinder.Checked checked = ParamBinder.check(withoutDefault, defaultText.get());
        if (checked instanceof ParamBinder.Invalid invalid) {
            spec.error("default", "invalid default: " + invalid.message());
            return Optional.empty();
        }
        String normalized = ((ParamBinder.Valid) checked).normalized();
        return Optional.of(new ParamSpec(
                name,
                withoutDefault.type(),
                false,
                Optional.of(normalized),
                pattern,
                maxLength,
                min,
                max,
                values,
                secret,
                description));
    }

    private static void onlyFor(MappingReader spec, ParamType actual, ParamType allowed, String key) {
        if (actual != allowed && spec.has(key)) {
            spec.error(key, "only allowed for type " + allowed.id());
        }
    }

    private static Optional<Pattern> compile(MappingReader spec, String regex) {
        try {
            return Optional.of(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            spec.error(
                    "pattern",
                    "invalid regular expression: " + (newline < 0 ? message : message.substring(0, newline)));
            return Optional.empty();
        }
    }

    private static List<String> readValues(MappingReader spec) {
        Optional<List<String>> values = spec.strings("values", true);
        if (values.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> seen = new HashMap<>();
        List<LocatedNode> items = spec.sequence("values", true).orElseThrow().items();
        for (int i = 0; i < values.get().size(); i++) {
            String value = values.get().get(i);
            if (seen.putIfAbsent(value, i) != null) {
                spec.problems()
                        .error(
                                items.get(i).line(),
                                spec.field("values") + "[" + i + "]",
                                "duplicate value '" + value + "'");
            }
        }
        return values.get();
    }

    /** A default is written as any YAML scalar ({@code 30}, {@code false}, {@code full}) and read as its text. */
    private static Optional<String> scalarText(MappingReader spec, LocatedNode node) {
        if (node instanceof LocatedNode.Scalar scalar && scalar.kind() != LocatedNode.Kind.NULL) {
            return Optional.of(scalar.text());
        }
        spec.error("default", "must be a single value, found " + node.describe());
        return Optional.empty();
    }
}
