package io.batchgate.gateway.trigger;

import io.batchgate.gateway.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller token buckets for triggers, so one runaway client cannot flood the ledger and the
 * queue for everyone. Kept in memory on each gateway replica: with N replicas behind a load
 * balancer a caller gets up to N times its rate, which is enough to stop a runaway loop.
 */
class TriggerRateLimiter {

    private final Caller.TriggerRate defaults;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TriggerRateLimiter(Caller.TriggerRate defaults, Clock clock) {
        this.defaults = defaults;
        this.clock = clock;
    }

    /** Takes one trigger from the caller's bucket; empty when allowed, else how long to wait. */
    java.util.Optional<Duration> take(Caller caller) {
        Caller.TriggerRate rate = caller.triggerRate() != null ? caller.triggerRate() : defaults;
        Bucket bucket = buckets.compute(
                caller.name(),
                (name, old) -> old != null && old.rate.equals(rate) ? old : new Bucket(rate, clock.millis()));
        return bucket.take(clock.millis());
    }

    private static final class Bucket {
        private final Caller.TriggerRate rate;
        private double tokens;
        private long refilledAt;

        Bucket(Caller.TriggerRate rate, long now) {
            this.rate = rate;
            this.tokens = rate.burst();
            this.refilledAt = now;
        }

        synchronized java.util.Optional<Duration> take(long now) {
            if (now > refilledAt) {
                tokens = Math.min(rate.burst(), tokens + (now - refilledAt) * rate.perSecond() / 1000.0);
                refilledAt = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return java.util.Optional.empty();
            }
            long millis = (long) Math.ceil((1 - tokens) * 1000.0 / rate.perSecond());
            return java.util.Optional.of(Duration.ofMillis(Math.max(1, millis)));
        }
    }
}
