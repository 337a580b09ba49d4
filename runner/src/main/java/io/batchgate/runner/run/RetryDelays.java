package io.batchgate.runner.run;

import java.time.Duration;

/** How long to wait before retry number n (1 for the first retry), jitter included. */
@FunctionalInterface
public interface RetryDelays {

    Duration delay(int retryNumber);
}
