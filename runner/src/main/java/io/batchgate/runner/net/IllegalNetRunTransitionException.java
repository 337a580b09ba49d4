package io.batchgate.runner.net;

/** A net run was asked for something its state does not allow (a rerun of a net that succeeded). */
public class IllegalNetRunTransitionException extends RuntimeException {

    private final NetRunId netRunId;

    public IllegalNetRunTransitionException(NetRunId netRunId, String message) {
        super("net run " + netRunId + ": " + message);
        this.netRunId = netRunId;
    }

    public NetRunId netRunId() {
        return netRunId;
    }
}
