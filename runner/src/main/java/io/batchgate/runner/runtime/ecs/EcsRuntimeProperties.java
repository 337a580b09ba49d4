package io.batchgate.runner.runtime.ecs;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ECS runtime.
 *
 * @param enabled offer the {@code ecs} runtime (jobs choose it with {@code runtime: ecs}, or
 *     {@code batchgate.runtime.default=ecs} makes it the default)
 * @param region the AWS Region; unset: the SDK's default chain ({@code AWS_REGION}, profile, …)
 * @param endpoint another ECS endpoint (a simulator, a VPC endpoint); unset: the Region's
 * @param launchRate RunTask calls per second for all runner replicas together (Fargate's
 *     quota is 20/s per account and Region)
 * @param launchBurst the token bucket's size (Fargate: 100)
 * @param permitWait how long a launch waits for a RunTask permit before it is deferred as an
 *     infrastructure retry
 * @param throttleRecovery after a throttling episode the rate drops by 10%; it climbs back to
 *     {@code launchRate} over this time
 * @param trackInterval how often running tasks are described (DescribeTasks, 100 to a call)
 * @param missingGrace how long a task may be absent from DescribeTasks before its attempt ends
 *     as "task record lost" (just-launched tasks can be briefly MISSING)
 * @param eventsQueue an SQS queue receiving "ECS Task State Change" events from EventBridge;
 *     when set, events end attempts at once and polling is only the safety net
 * @param orphanScanInterval how often to look for running tasks tagged by batchgate that no
 *     active attempt owns (0 turns the scan off)
 * @param stopOrphans stop such tasks (otherwise they are only reported)
 * @param registerRate RegisterTaskDefinition calls per second for all replicas together (for jobs
 *     with {@code secrets}; ECS's quota for it is low)
 * @param registerBurst the RegisterTaskDefinition token bucket's size
 * @param derivedRetention a task definition revision batchgate registered for a job's secrets is
 *     deregistered when no launch has used it for this long
 */
@ConfigurationProperties("batchgate.runtime.ecs")
public record EcsRuntimeProperties(
        @DefaultValue("false") boolean enabled,
        @Nullable String region,
        @Nullable URI endpoint,
        @DefaultValue("20") double launchRate,
        @DefaultValue("100") int launchBurst,
        @DefaultValue("10s") Duration permitWait,
        @DefaultValue("10s") Duration throttleRecovery,
        @DefaultValue("5s") Duration trackInterval,
        @DefaultValue("5m") Duration missingGrace,
        @Nullable String eventsQueue,
        @DefaultValue("5m") Duration orphanScanInterval,
        @DefaultValue("false") boolean stopOrphans,
        @DefaultValue("1") double registerRate,
        @DefaultValue("5") int registerBurst,
        @DefaultValue("7d") Duration derivedRetention) {

    public EcsRuntimeProperties {
        if (launchRate <= 0 || launchBurst < 1) {
            throw new IllegalArgumentException("batchgate.runtime.ecs: launch-rate must be > 0 and launch-burst >= 1");
        }
        positive(permitWait, "permit-wait");
        positive(throttleRecovery, "throttle-recovery");
        positive(trackInterval, "track-interval");
        positive(missingGrace, "missing-grace");
        positive(derivedRetention, "derived-retention");
        if (registerRate <= 0 || registerBurst < 1) {
            throw new IllegalArgumentException(
                    "batchgate.runtime.ecs: register-rate must be > 0 and register-burst >= 1");
        }
        if (orphanScanInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "batchgate.runtime.ecs.orphan-scan-interval must be 0 (off) or positive, was "
                            + orphanScanInterval);
        }
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("batchgate.runtime.ecs." + name + " must be positive, was " + value);
        }
    }
}
