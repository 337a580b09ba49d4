package io.batchgate.runner.logs;

import java.time.Instant;
import java.util.List;

/**
 * Takes lines into a log stream beyond this machine (CloudWatch Logs: the local runtime's output
 * and batchgate's own messages). Never blocks and never throws: lines it cannot keep are counted
 * ({@link #dropped}), never lost silently.
 */
public interface LogSink {

    /** Queues lines (without line ends) written at {@code at}, in order. */
    void append(LogLocation location, Instant at, List<String> lines);

    /** Lines it can take now without dropping any: a reader of a durable file waits for room instead. */
    int room();

    /** True once every line appended to this location so far has been stored or counted as dropped. */
    boolean flushed(LogLocation location);

    /** Lines appended to this location that were dropped (buffer full, rejected by the service). */
    long dropped(LogLocation location);

    /**
     * Forgets the counters of a location that will get no more lines: at once if everything was
     * sent, else once its last line is (so lines still queued are sent and counted as before).
     */
    void forget(LogLocation location);
}
