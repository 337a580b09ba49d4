package io.batchgate.runner.startup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long start-up waits for the database and the queue before it gives up.
 *
 * @param waitLimit how long start-up waits for each of them in all; after a reboot of a busy host
 *     they may take minutes, and a gateway that gives up stays down
 * @param firstBackoff the wait after the first failed try; it doubles after each try
 * @param maxBackoff the longest wait between two tries
 */
@ConfigurationProperties("batchgate.startup")
record StartupProperties(
        @DefaultValue("5m") Duration waitLimit,
        @DefaultValue("1s") Duration firstBackoff,
        @DefaultValue("30s") Duration maxBackoff) {

    public StartupProperties {
        if (waitLimit.isNegative() || firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException(
                    "batchgate.startup: wait-limit must be >= 0 and first-backoff > 0, max-backoff >= 0");
        }
    }
}
