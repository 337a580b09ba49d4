package io.batchgate.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a failed attempt is retried: the rules are matched first to last and the first match decides; when no rule
 * matches, the attempt fails the run.
 *
 * @param maxAttempts the most attempts of one run, the first included: 1 (no retry) to 10
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, List<RetryRule> rules) {

    static final int MAX_ATTEMPTS = 10;
    private static final RetryPolicy NONE = new RetryPolicy(1, Backoff.defaults(), List.of());

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be from 1 to 10, found " + maxAttempts);
        }
        Objects.requireNonNull(backoff, "backoff");
        rules = List.copyOf(rules);
    }

    /** One attempt, the default backoff, no rules. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * RETRY if a rule says so and another attempt is allowed (attemptsSoFar < maxAttempts); else FAIL. First matching
     * rule wins; no match → FAIL.
     */
    public RetryAction decide(AttemptEnd end, int attemptsSoFar) {
        if (attemptsSoFar >= maxAttempts) {
            return RetryAction.FAIL;
        }
        return matching(end).map(RetryRule::action).orElse(RetryAction.FAIL);
    }

    /** The first matching rule, if any. */
    public Optional<RetryRule> matching(AttemptEnd end) {
        Objects.requireNonNull(end, "end");
        return rules.stream().filter(rule -> rule.matches(end)).findFirst();
    }
}
