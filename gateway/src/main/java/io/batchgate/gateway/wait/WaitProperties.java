package io.batchgate.gateway.wait;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Long polling ({@code ?wait=SECONDS}).
 *
 * @param max the longest wait a request gets; longer asks are cut to it (below the 29 s of API
 *     Gateway and the 60 s of an ALB, so no proxy closes a waiting call first)
 * @param tick how often one query looks for runs that finished
 * @param lookback how far before the previous tick that query reaches, to cover commit delays and
 *     clock differences between replicas
 * @param recheck how often every waited run is checked directly, as a safety net
 * @param leaseRenewal how often the cancel-on-abandon leases of parked waiters are renewed
 */
@ConfigurationProperties("batchgate.wait")
public record WaitProperties(
        @DefaultValue("25s") Duration max,
        @DefaultValue("200ms") Duration tick,
        @DefaultValue("2s") Duration lookback,
        @DefaultValue("5s") Duration recheck,
        @DefaultValue("10s") Duration leaseRenewal) {

    public WaitProperties {
        if (max.isNegative() || max.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("batchgate.wait.max must be from 0 to 10m, was " + max);
        }
        positive(tick, "tick");
        positive(recheck, "recheck");
        positive(leaseRenewal, "lease-renewal");
        if (lookback.isNegative()) {
            throw new IllegalArgumentException("batchgate.wait.lookback must not be negative, was " + lookback);
        }
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("batchgate.wait." + name + " must be positive, was " + value);
        }
    }
}
