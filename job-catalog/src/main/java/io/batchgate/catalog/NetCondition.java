package io.batchgate.catalog;

/** When an edge of a job net lets its member start, judged by how the predecessor ended. */
public enum NetCondition {
    /** The predecessor ended normally: a success, warnings included (JP1's normal end). */
    SUCCESS("after"),
    /** The predecessor ended with a warning. */
    WARNING("afterWarning"),
    /** The predecessor failed (a recovery member, like JP1's {@code r*} units). */
    FAILURE("afterFailure");

    private final String key;

    NetCondition(String key) {
        this.key = key;
    }

    /** The member key that lists the predecessors of this condition. */
    public String key() {
        return key;
    }
}
