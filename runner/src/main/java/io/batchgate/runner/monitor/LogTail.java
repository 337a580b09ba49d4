package io.batchgate.runner.monitor;

import io.batchgate.runner.run.RunId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The end of an attempt's output, for a failure ping's body. */
public interface LogTail {

    /**
     * At most {@code maxBytes} bytes of UTF-8 from the end of the attempt's output, starting at a
     * whole character (and at a line start when one is near); empty when there is none. An attempt
     * whose last lines may still be on their way answers when to ask again instead.
     */
    Tail tail(RunId run, int attempt, int maxBytes);

    /** The tail's bytes, or (with no bytes) the time from which it can be read whole. */
    record Tail(byte[] bytes, @Nullable Instant notBefore) {

        public static Tail of(byte[] bytes) {
            return new Tail(bytes, null);
        }

        public static Tail notBefore(Instant at) {
            return new Tail(new byte[0], at);
        }
    }
}
