package io.batchgate.runner.admission;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long idempotency keys live.
 *
 * @param retention how long a key replays its run; after it, the same key starts a new run. At
 *     least 24 h, so that a client retrying within a day never starts a run twice
 * @param sweepInterval how often expired keys are cleared from the runs that hold them
 * @param sweepBatch how many runs one sweep transaction clears (small: each locks its rows)
 */
@ConfigurationProperties("batchgate.idempotency")
public record IdempotencyProperties(
        @DefaultValue("7d") Duration retention,
        @DefaultValue("10m") Duration sweepInterval,
        @DefaultValue("500") int sweepBatch) {

    static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public IdempotencyProperties {
        if (retention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException(
                    "batchgate.idempotency.retention must be at least 24h, found " + retention);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero() || sweepBatch < 1) {
            throw new IllegalArgumentException(
                    "batchgate.idempotency: sweep-interval must be positive and sweep-batch at least 1");
        }
    }
}
