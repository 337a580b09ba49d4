package io.batchgate.runner.logs;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.RunId;
import java.time.Duration;

/**
 * Reads an attempt's log a page at a time. Two adapters: {@link LocalLogFiles} (the local runtime's
 * files, the embedded default) and the CloudWatch Logs store.
 */
public interface LogSource {

    /**
     * The lines after {@code cursor} ({@code ""}: from the start). An empty page means nothing new
     * has arrived yet; whether more may still come is told by the attempt's state and {@link #drain()}.
     */
    LogPage read(RunId runId, Attempt attempt, String cursor);

    /** How the end of a stopped attempt's log is proven. */
    Drain drain();

    /**
     * After a task stops, lines may still be on their way: wait {@code settle} after the stop, then
     * read until {@code emptyPages} pages in a row come back empty, {@code pageInterval} apart.
     */
    record Drain(Duration settle, int emptyPages, Duration pageInterval) {

        /** Files are complete when the process has ended: one empty read proves the end. */
        public static final Drain IMMEDIATE = new Drain(Duration.ZERO, 1, Duration.ZERO);
    }
}
