package io.batchgate.runner.logs;

import java.util.List;

/** Someone following a run's log: an HTTP response kept open, in the gateway. */
public interface LogFollower {

    /** Delivers new lines; false when the follower has gone away (it then gets nothing more). */
    boolean send(List<String> lines);

    /** The run is final and its log read to the end. */
    void end();

    /** Reading failed; the follower gets nothing more. */
    void fail(Exception cause);
}
