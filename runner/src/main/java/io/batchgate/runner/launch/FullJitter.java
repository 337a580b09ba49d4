package io.batchgate.runner.launch;

import io.batchgate.catalog.Backoff;
import io.batchgate.runner.run.RetryDelays;
import java.util.random.RandomGenerator;

/**
 * Retry waits with "full jitter": a uniformly random wait between zero and the job's backoff
 * ceiling for that retry, so jobs that failed together do not all come back together.
 */
public final class FullJitter {

    private final RandomGenerator random;

    public FullJitter(RandomGenerator random) {
        this.random = random;
    }

    public RetryDelays of(Backoff backoff) {
        return retryNumber -> backoff.delay(retryNumber, random);
    }
}
