package io.batchgate.catalog;

import java.util.Objects;

/** One reason why a caller's parameter value was refused; never contains a secret value. */
public record ParamViolation(String param, String message) {

    public ParamViolation {
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return param + ": " + message;
    }
}
