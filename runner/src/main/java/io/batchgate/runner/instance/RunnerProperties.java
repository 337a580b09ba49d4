package io.batchgate.runner.instance;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The runner: the part of an instance that consumes launch messages and runs, tracks and times out
 * tasks.
 *
 * @param enabled {@code false} makes a gateway-only replica: no queue consumer, no task runtime
 *     work (the beans that do it are marked {@link ConditionalOnRunner})
 * @param deadlineInterval how often run timeouts are checked
 * @param abandonInterval how often expired cancel-on-abandon leases are looked for
 * @param launchLease how long a LAUNCHING run may stay so before another runner takes it over
 * @param adoptionInterval how often every runner re-watches running attempts and takes over
 *     LAUNCHING ones older than {@code launchLease}
 */
@ConfigurationProperties("batchgate.runner")
public record RunnerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration deadlineInterval,
        @DefaultValue("5s") Duration abandonInterval,
        @DefaultValue("2m") Duration launchLease,
        @DefaultValue("30s") Duration adoptionInterval) {

    public RunnerProperties {
        positive(deadlineInterval, "deadline-interval");
        positive(abandonInterval, "abandon-interval");
        positive(launchLease, "launch-lease");
        positive(adoptionInterval, "adoption-interval");
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("batchgate.runner." + name + " must be positive, was " + value);
        }
    }
}
