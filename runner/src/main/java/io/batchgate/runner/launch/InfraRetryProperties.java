package io.batchgate.runner.launch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retries of launches the runtime refused for infrastructure reasons (no capacity, throttling,
 * service errors). They have their own budget and never spend the job's attempts.
 *
 * @param maxTries launch tries of one attempt before the run fails
 * @param deadline how long after the attempt's first try the last may start
 * @param initialBackoff the first wait; each further wait doubles, up to {@code maxBackoff}
 * @param maxBackoff the longest wait between two tries
 */
@ConfigurationProperties("batchgate.launch.infra-retry")
record InfraRetryProperties(
        @DefaultValue("20") int maxTries,
        @DefaultValue("30m") Duration deadline,
        @DefaultValue("2s") Duration initialBackoff,
        @DefaultValue("60s") Duration maxBackoff) {

    public InfraRetryProperties {
        if (maxTries < 1 || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "batchgate.launch.infra-retry: max-tries >= 1 and 0 <= initial-backoff <= max-backoff");
        }
    }
}
