package io.batchgate.catalog;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Checks and normalizes caller values against a job's {@link ParamSpec}s. */
final class ParamBinder {

    /** The outcome of checking one value. */
    sealed interface Checked permits Valid, Invalid {}

    record Valid(String normalized) implements Checked {}

    record Invalid(String message) implements Checked {}

    private static final Pattern INT = Pattern.compile("-?[0-9]+");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern JP1_DATE = Pattern.compile("[0-9]{4}/[0-9]{2}/[0-9]{2}");
    // uuuu, not yyyy: with STRICT resolving, yyyy (year-of-era) would need an era and reject everything.
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final int ECHO_LIMIT = 40;

    private ParamBinder() {}

    static BoundParams bind(Map<String, ParamSpec> specs, Map<String, String> raw) {
        List<ParamViolation> violations = new ArrayList<>();
        // Sorted so that the message does not depend on the caller's map implementation.
        for (String name : new TreeSet<>(raw.keySet())) {
            if (!specs.containsKey(name)) {
                violations.add(new ParamViolation(name, unknownMessage(specs)));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> secretNames = new LinkedHashSet<>();
        for (ParamSpec spec : specs.values()) {
            if (spec.secret()) {
                secretNames.add(spec.name());
            }
            String value = raw.get(spec.name());
            if (value == null) {
                if (spec.required()) {
                    violations.add(new ParamViolation(spec.name(), "required"));
                } else {
                    spec.defaultValue().ifPresent(defaultValue -> values.put(spec.name(), defaultValue));
                }
                continue;
            }
            Checked checked = check(spec, value);
            if (checked instanceof Valid valid) {
                values.put(spec.name(), valid.normalized());
            } else if (checked instanceof Invalid invalid) {
                violations.add(new ParamViolation(spec.name(), invalid.message()));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidParamsException(violations);
        }
        return new BoundParams(values, secretNames);
    }

    /** Checks one value; messages never contain the value of a secret param. */
    static Checked check(ParamSpec spec, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                return new Invalid("contains a control character");
            }
        }
        if (value.length() > spec.maxLength()) {
            return new Invalid("longer than " + spec.maxLength() + " characters");
        }
        return switch (spec.type()) {
            case STRING -> checkString(spec, value);
            case INT -> checkInt(spec, value);
            case BOOL ->
                value.equals("true") || value.equals("false")
                        ? new Valid(value)
                        : invalid(spec, "must be true or false", value);
            case DATE -> checkDate(spec, value);
            case ENUM ->
                spec.values().contains(value)
                        ? new Valid(value)
                        : invalid(spec, "must be one of " + String.join(", ", spec.values()), value);
        };
    }

    private static Checked checkString(ParamSpec spec, String value) {
        if (spec.pattern().isPresent() && !spec.pattern().get().matcher(value).matches()) {
            return invalid(spec, "must match pattern " + spec.pattern().get().pattern(), value);
        }
        return new Valid(value);
    }

    private static Checked checkInt(ParamSpec spec, String value) {
        if (!INT.matcher(value).matches()) {
            return invalid(spec, "must be an integer", value);
        }
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return invalid(spec, "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, value);
        }
        if (spec.min().isPresent() && number < spec.min().get()) {
            return invalid(spec, "must be at least " + spec.min().get(), value);
        }
        if (spec.max().isPresent() && number > spec.max().get()) {
            return invalid(spec, "must be at most " + spec.max().get(), value);
        }
        return new Valid(Integer.toString(number));
    }

    private static Checked checkDate(ParamSpec spec, String value) {
        String iso;
        if (ISO_DATE.matcher(value).matches()) {
            iso = value;
        } else if (JP1_DATE.matcher(value).matches()) {
            iso = value.replace('/', '-');
        } else {
            return invalid(spec, "must be a date as yyyy-MM-dd or yyyy/MM/dd", value);
        }
        try {
            return new Valid(LocalDate.parse(iso, DATE).toString());
        } catch (DateTimeParseException e) {
            return invalid(spec, "is not a valid calendar date", value);
        }
    }

    private static Invalid invalid(ParamSpec spec, String message, String value) {
        if (spec.secret()) {
            return new Invalid(message);
        }
        String shown = value.length() > ECHO_LIMIT ? value.substring(0, ECHO_LIMIT) + "..." : value;
        return new Invalid(message + ", found '" + shown + "'");
    }

    private static String unknownMessage(Map<String, ParamSpec> specs) {
        return specs.isEmpty()
                ? "this job takes no parameters"
                : "unknown parameter (allowed: " + String.join(", ", specs.keySet()) + ")";
    }
}
