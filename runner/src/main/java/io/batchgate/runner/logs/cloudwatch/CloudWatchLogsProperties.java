package io.batchgate.runner.logs.cloudwatch;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CloudWatch Logs: where ECS tasks' awslogs streams are read, and where the local runtime's output
 * is forwarded.
 *
 * @param enabled read ECS attempts' awslogs streams and forward local attempts' output
 * @param region the AWS Region; unset: the SDK's default chain
 * @param endpoint another endpoint (a simulator, a VPC endpoint)
 * @param logGroup the group local attempts' output is forwarded to, one stream per attempt
 *     ({@code <run id>/attempt-<n>}), and batchgate's own messages about each run ({@code <run
 *     id>/batchgate}); created if missing
 * @param settle after a task stops, how long its last lines may still be on their way to
 *     CloudWatch (the awslogs driver sends every few seconds)
 * @param drainPages empty GetLogEvents pages in a row, after {@code settle}, that prove a stopped
 *     task's log is complete
 * @param drainInterval the wait between those pages
 * @param bufferLines lines waiting to be forwarded, at most; beyond, lines are dropped and counted
 * @param retryInitial first wait before sending a batch again after throttling or an outage
 * @param retryMax the longest such wait
 * @param forwardInterval how often local attempts' files are read for new lines
 */
@ConfigurationProperties("batchgate.logs.cloudwatch")
record CloudWatchLogsProperties(
        @DefaultValue("false") boolean enabled,
        @Nullable String region,
        @Nullable URI endpoint,
        @DefaultValue("/batchgate/runs") String logGroup,
        @DefaultValue("5s") Duration settle,
        @DefaultValue("2") int drainPages,
        @DefaultValue("1s") Duration drainInterval,
        @DefaultValue("100000") int bufferLines,
        @DefaultValue("200ms") Duration retryInitial,
        @DefaultValue("30s") Duration retryMax,
        @DefaultValue("1s") Duration forwardInterval) {

    public CloudWatchLogsProperties {
        if (drainPages < 1
                || bufferLines < 20_000
                || retryInitial.isNegative()
                || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("batchgate.logs.cloudwatch: drain-pages must be at least 1, buffer-lines"
                    + " at least 20000 (a page of a local output file), retry-max at least retry-initial");
        }
    }
}
