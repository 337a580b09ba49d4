package io.batchgate.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** The caller's parameters do not fit the job; lists every violation at once. */
public class InvalidParamsException extends RuntimeException {

    private final List<ParamViolation> violations;

    public InvalidParamsException(List<ParamViolation> violations) {
        super(violations.stream().map(ParamViolation::toString).collect(Collectors.joining("; ")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidParamsException needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public List<ParamViolation> violations() {
        return violations;
    }
}
