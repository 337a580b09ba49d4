package io.batchgate.catalog.jp1;

import java.util.Comparator;
import java.util.List;

/** The input cannot be imported: every error found, each with its {@code file:line:column}. */
public final class InputException extends RuntimeException {

    private final List<InputError> errors;

    /** The errors are kept sorted by file, line and column. */
    public InputException(List<InputError> errors) {
        super(errors.isEmpty() ? "no errors" : errors.get(0) + (errors.size() > 1 ? " (and more)" : ""));
        this.errors = errors.stream()
                .sorted(Comparator.comparing(InputError::file)
                        .thenComparingInt(InputError::line)
                        .thenComparingInt(InputError::column))
                .toList();
    }

    public List<InputError> errors() {
        return errors;
    }
}
