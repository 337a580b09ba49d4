package io.batchgate.runner.net;

/** Where one member of a net run stands, in its current generation. */
public enum MemberState {
    /** Waits for the edges to its predecessors to be decided. */
    WAITING,
    /** Its edges hold: its run is being admitted (a crash here is finished by the sweep). */
    STARTING,
    /** Its run (or nested net run) is active. */
    RUNNING,
    SUCCEEDED,
    /** Ended normally with a warning. */
    WARNING,
    FAILED,
    CANCELLED,
    /** Not executed: an edge it waits for can no longer hold, or the net was cancelled first. */
    SKIPPED;

    public boolean isDecided() {
        return this != WAITING && this != STARTING && this != RUNNING;
    }

    /** Ended normally (JP1: warnings included). */
    public boolean isNormalEnd() {
        return this == SUCCEEDED || this == WARNING;
    }
}
