package io.batchgate.runner.net;

/** How a net run ended, judged from its members. */
public enum NetJudgment {
    /** Every member that ran ended normally without a warning. */
    SUCCEEDED,
    /** A member ended with a warning, or failed and a recovery member handled it; nothing failed unhandled. */
    WARNING,
    /** A member failed and no recovery member (an {@code afterFailure} edge) ended normally after it. */
    FAILED,
    CANCELLED,
    /** Never started: overlap {@code forbid} and another run of the net was active. */
    SKIPPED
}
