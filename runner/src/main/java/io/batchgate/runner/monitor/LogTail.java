package io.batchgate.runner.monitor;

import io.batchgate.runner.run.RunId;

/** The end of an attempt's output, for a failure ping's body. */
public interface LogTail {

    /**
     * At most {@code maxBytes} bytes of UTF-8 from the end of the attempt's output, starting at a
     * whole character (and at a line start when one is near); empty when there is none.
     */
    byte[] tail(RunId run, int attempt, int maxBytes);
}
