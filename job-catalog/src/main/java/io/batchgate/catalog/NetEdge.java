package io.batchgate.catalog;

import java.util.Objects;

/** An edge of a job net: the member that owns it starts when {@code from} ended as {@code when} says. */
public record NetEdge(String from, NetCondition when) {

    public NetEdge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(when, "when");
    }
}
