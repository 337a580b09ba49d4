package io.batchgate.runner.logs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Serving logs.
 *
 * @param followInterval how often a followed run's log is read for new lines (one reader per
 *     followed run, shared by all its followers)
 * @param followBufferLines lines a followed run's reader keeps for followers who join late; older
 *     ones are replaced by a note
 * @param maxTail the largest {@code ?tail=N}
 */
@ConfigurationProperties("batchgate.logs")
public record LogsProperties(
        @DefaultValue("500ms") Duration followInterval,
        @DefaultValue("100000") int followBufferLines,
        @DefaultValue("100000") int maxTail) {

    public LogsProperties {
        if (followInterval.isNegative() || followInterval.isZero() || followBufferLines < 1 || maxTail < 1) {
            throw new IllegalArgumentException(
                    "batchgate.logs: follow-interval must be positive, follow-buffer-lines and max-tail at least 1");
        }
    }
}
