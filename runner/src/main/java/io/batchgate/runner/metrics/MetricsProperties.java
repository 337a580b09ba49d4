package io.batchgate.runner.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param refreshInterval {@code batchgate.metrics.refresh-interval}: how often each replica reads
 *     the queue depth and the outbox age from the database (two cheap queries); a scrape reads
 *     the last values and never queries
 */
@ConfigurationProperties("batchgate.metrics")
public record MetricsProperties(@DefaultValue("15s") Duration refreshInterval) {

    public MetricsProperties {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException(
                    "batchgate.metrics.refresh-interval must be positive, was " + refreshInterval);
        }
    }
}
