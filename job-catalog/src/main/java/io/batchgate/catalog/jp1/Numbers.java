package io.batchgate.catalog.jp1;

import java.util.List;
import java.util.Optional;

/** Reads the integer values of unit parameters within JP1's ranges; a bad one is an {@link InputError}. */
final class Numbers {

    private final List<InputError> errors;

    Numbers(List<InputError> errors) {
        this.errors = errors;
    }

    /** The value of {@code key} if the unit has it and it is an integer from {@code min} to {@code max}. */
    Optional<Long> read(Unit unit, String key, long min, long max, String what) {
        Optional<UnitParam> param = unit.param(key);
        if (param.isEmpty()) {
            return Optional.empty();
        }
        String text = param.get().text().trim();
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new InputError(
                unit.file(),
                param.get().line(),
                param.get().valueColumn(),
                key + "=" + text + " of unit " + unit.path() + " is not " + what + " (an integer from " + min + " to "
                        + max + ")"));
        return Optional.empty();
    }
}
