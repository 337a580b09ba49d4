package io.batchgate.runner.net;

/** No net run has this id. */
public class NetRunNotFoundException extends RuntimeException {

    private final NetRunId id;

    public NetRunNotFoundException(NetRunId id) {
        super("no net run " + id);
        this.id = id;
    }

    public NetRunId id() {
        return id;
    }
}
