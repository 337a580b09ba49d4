package io.batchgate.runner.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.AttemptOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When a refused launch is tried again: equal jitter under a doubling ceiling, within the attempt's budget. */
class InfraRetryPolicyTests {

    private static final Instant LAUNCHED = Instant.parse("2026-12-03T12:00:00Z");
    private static final InfraRetryProperties PROPERTIES =
            new InfraRetryProperties(20, Duration.ofMinutes(30), Duration.ofSeconds(2), Duration.ofSeconds(60));

    private static Attempt attempt(int launchTries) {
        return new Attempt(
                1, "ecs", LAUNCHED, launchTries, null, null, null, null, null, AttemptOutcome.ACTIVE, "", null, null);
    }

    @Test
    void eachTryWaitsHalfItsCeilingPlusARandomShareOfTheOtherHalf() {
        InfraRetryPolicy policy = new InfraRetryPolicy(PROPERTIES, new Random(17));
        Random twin = new Random(17);
        Instant now = LAUNCHED.plusSeconds(5);
        // the ceiling after 0, 1, 2, ... tries: the initial backoff for the first refusal, doubling, at most 60 s
        List<Integer> ceilings = List.of(2, 2, 4, 8, 16, 32, 60, 60, 60);
        for (int tries = 0; tries < ceilings.size(); tries++) {
            long ceiling = Duration.ofSeconds(ceilings.get(tries)).toNanos();
            Instant expected = now.plusNanos(ceiling / 2 + twin.nextLong(ceiling / 2 + 1));

            Instant at = policy.nextTry(attempt(tries), now).orElseThrow();

            assertThat(at).as("after %d tries", tries).isEqualTo(expected);
            assertThat(Duration.between(now, at)).isBetween(Duration.ofNanos(ceiling / 2), Duration.ofNanos(ceiling));
        }
    }

    @Test
    void theBudgetEndsAtMaxTriesOrAtTheDeadline() {
        InfraRetryPolicy policy = new InfraRetryPolicy(PROPERTIES, new Random(1));

        assertThat(policy.nextTry(attempt(20), LAUNCHED.plusSeconds(5))).isEmpty();
        assertThat(policy.nextTry(attempt(19), LAUNCHED.plusSeconds(5))).isPresent();
        assertThat(policy.nextTry(attempt(3), LAUNCHED.plus(Duration.ofMinutes(30))))
                .isEmpty();
    }
}
