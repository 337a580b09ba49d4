package io.batchgate.runner.launch;

import io.batchgate.catalog.Backoff;
import io.batchgate.runner.run.Attempt;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a refused launch again: exponential backoff with "equal jitter" (half fixed, half
 * random, so a burst of refusals spreads out without any wait collapsing to zero), within the
 * attempt's own budget of tries and time.
 */
class InfraRetryPolicy {

    private final InfraRetryProperties properties;
    private final Backoff backoff;
    private final RandomGenerator random;

    public InfraRetryPolicy(InfraRetryProperties properties, RandomGenerator random) {
        this.properties = properties;
        this.backoff = Backoff.doubling(properties.initialBackoff(), properties.maxBackoff(), Backoff.Jitter.EQUAL);
        this.random = random;
    }

    /** The time of the next try, or empty when the budget is spent. */
    public Optional<Instant> nextTry(Attempt attempt, Instant now) {
        if (attempt.launchTries() >= properties.maxTries()) {
            return Optional.empty();
        }
        // the first refusal (or none yet) waits the initial backoff
        Instant at = now.plus(backoff.delay(Math.max(1, attempt.launchTries()), random));
        if (at.isAfter(attempt.launchedAt().plus(properties.deadline()))) {
            return Optional.empty();
        }
        return Optional.of(at);
    }

    String budget() {
        return properties.maxTries() + " tries within " + properties.deadline().toMinutes() + " min";
    }
}
