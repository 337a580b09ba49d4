package io.batchgate.runner.launch;

import io.batchgate.runner.run.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a refused launch again: exponential backoff with "equal jitter" (half fixed, half
 * random, so a burst of refusals spreads out without any wait collapsing to zero), within the
 * attempt's own budget of tries and time.
 */
public class InfraRetryPolicy {

    private final InfraRetryProperties properties;
    private final RandomGenerator random;

    public InfraRetryPolicy(InfraRetryProperties properties, RandomGenerator random) {
        this.properties = properties;
        this.random = random;
    }

    /** The time of the next try, or empty when the budget is spent. */
    public Optional<Instant> nextTry(Attempt attempt, Instant now) {
        if (attempt.launchTries() >= properties.maxTries()) {
            return Optional.empty();
        }
        Duration backoff = backoff(attempt.launchTries());
        Instant at = now.plus(backoff.dividedBy(2)).plusNanos(random.nextLong(backoff.toNanos() / 2 + 1));
        if (at.isAfter(attempt.launchedAt().plus(properties.deadline()))) {
            return Optional.empty();
        }
        return Optional.of(at);
    }

    /** The wait after the given number of tries, before jitter. */
    Duration backoff(int triesSoFar) {
        int doublings = Math.min(30, Math.max(0, triesSoFar - 1));
        Duration backoff = properties.initialBackoff().multipliedBy(1L << doublings);
        return backoff.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : backoff;
    }

    String budget() {
        return properties.maxTries() + " tries within " + properties.deadline().toMinutes() + " min";
    }
}
