package io.batchgate.runner.launch;

import java.time.Duration;
import java.util.OptionalInt;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Launching (infrastructure retries: {@link InfraRetryProperties}).
 *
 * @param maxConcurrent the cap on launching, running and stopping runs of all jobs together; 0 (or
 *     unset): no cap
 * @param slotRecheck how soon a launch that found no free slot looks again
 */
@ConfigurationProperties("batchgate.launch")
public record LaunchProperties(
        @DefaultValue("0") int maxConcurrent,
        @DefaultValue("2s") Duration slotRecheck) {

    public LaunchProperties {
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException(
                    "batchgate.launch.max-concurrent must be 0 (no cap) or more, was " + maxConcurrent);
        }
        if (slotRecheck.isNegative() || slotRecheck.isZero()) {
            throw new IllegalArgumentException("batchgate.launch.slot-recheck must be positive, was " + slotRecheck);
        }
    }

    OptionalInt globalCap() {
        return maxConcurrent > 0 ? OptionalInt.of(maxConcurrent) : OptionalInt.empty();
    }
}
