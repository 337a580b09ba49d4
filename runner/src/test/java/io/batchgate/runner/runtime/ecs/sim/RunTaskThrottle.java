package io.batchgate.runner.runtime.ecs.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Token bucket on the simulator's clock, like ECS's RunTask rate limit (Fargate: 20 calls/s refill, burst 100). Time
 * comes from the caller, so a test can exhaust the bucket "at one instant" and refill it by moving its clock.
 */
final class RunTaskThrottle {

    private final double perSecond;
    private final int burst;
    private double tokens;
    private Instant refilledAt;

    RunTaskThrottle(double perSecond, int burst, Instant now) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
    }

    synchronized boolean tryAcquire(Instant now) {
        if (now.isAfter(refilledAt)) {
            double elapsedSeconds = Duration.between(refilledAt, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + elapsedSeconds * perSecond);
            refilledAt = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
