package io.batchgate.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a caller may pass for one job parameter. Params reach the job as environment variables, hence the upper-case
 * env-name rule and the reserved prefixes.
 *
 * @param defaultValue already normalized (a JP1 date is stored in ISO form)
 * @param pattern for {@link ParamType#STRING} only; the whole value must match
 * @param min for {@link ParamType#INT} only
 * @param max for {@link ParamType#INT} only
 * @param values for {@link ParamType#ENUM} only, and required there
 */
public record ParamSpec(
        String name,
        ParamType type,
        boolean required,
        Optional<String> defaultValue,
        Optional<Pattern> pattern,
        int maxLength,
        Optional<Integer> min,
        Optional<Integer> max,
        List<String> values,
        boolean secret,
        String description) {

    static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    static final List<String> RESERVED_PREFIXES = List.of("AWS_", "ECS_", "BATCHGATE_");
    static final int DEFAULT_MAX_LENGTH = 256;
    static final int MAX_MAX_LENGTH = 4096;

    public ParamSpec(
            String name,
            ParamType type,
            boolean required,
            Optional<String> defaultValue,
            Optional<Pattern> pattern,
            int maxLength,
            Optional<Integer> min,
            Optional<Integer> max,
            List<String> values,
            boolean secret,
            String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.required = required;
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.maxLength = maxLength;
        this.min = Objects.requireNonNull(min, "min");
        this.max = Objects.requireNonNull(max, "max");
        this.values = List.copyOf(values);
        this.secret = secret;
        this.description = Objects.requireNonNull(description, "description");
        nameProblem(name).ifPresent(problem -> {
            throw new IllegalArgumentException(name + ": " + problem);
        });
        if (maxLength < 1 || maxLength > MAX_MAX_LENGTH) {
            throw new IllegalArgumentException(name + ": maxLength must be from 1 to 4096, found " + maxLength);
        }
        if (pattern.isPresent() && type != ParamType.STRING) {
            throw new IllegalArgumentException(name + ": pattern is only for type string");
        }
        if ((min.isPresent() || max.isPresent()) && type != ParamType.INT) {
            throw new IllegalArgumentException(name + ": min/max are only for type int");
        }
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            throw new IllegalArgumentException(name + ": min " + min.get() + " is greater than max " + max.get());
        }
        if (type == ParamType.ENUM && this.values.isEmpty()) {
            throw new IllegalArgumentException(name + ": type enum needs values");
        }
        if (type != ParamType.ENUM && !this.values.isEmpty()) {
            throw new IllegalArgumentException(name + ": values are only for type enum");
        }
        if (new HashSet<>(this.values).size() != this.values.size()) {
            throw new IllegalArgumentException(name + ": values must be distinct");
        }
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException(name + ": a required param cannot have a default");
        }
        // Checked last: the check needs every other field of this spec.
        if (defaultValue.isPresent()
                && ParamBinder.check(this, defaultValue.get()) instanceof ParamBinder.Invalid bad) {
            throw new IllegalArgumentException(name + ": invalid default: " + bad.message());
        }
    }

    /** Why {@code name} cannot be a param name, if it cannot. */
    static Optional<String> nameProblem(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of(
                    "parameter name must be an upper-case environment variable name matching " + NAME.pattern());
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return Optional.of("parameter name uses reserved prefix " + prefix + " (reserved: "
                        + String.join(", ", RESERVED_PREFIXES) + ")");
            }
        }
        return Optional.empty();
    }
}
