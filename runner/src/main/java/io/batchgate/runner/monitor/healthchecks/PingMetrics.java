package io.batchgate.runner.monitor.healthchecks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code batchgate.monitor.pings{outcome}}: {@code sent} (the monitor answered 2xx), {@code failed}
 * (one try that did not get a 2xx: refused, server error, timeout, unreachable) and {@code dropped}
 * (a ping given up: refused for good, out of tries, or too old). {@code source} tells the jobs'
 * pings from batchgate's own heartbeat.
 */
final class PingMetrics {

    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;

    PingMetrics(MeterRegistry meters, String source) {
        this.sent = counter(meters, source, "sent");
        this.failed = counter(meters, source, "failed");
        this.dropped = counter(meters, source, "dropped");
    }

    private static Counter counter(MeterRegistry meters, String source, String outcome) {
        return Counter.builder("batchgate.monitor.pings")
                .description("Heartbeat pings to the monitor, by outcome")
                .tag("source", source)
                .tag("outcome", outcome)
                .register(meters);
    }

    void sent() {
        sent.increment();
    }

    void failed() {
        failed.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void dropped(int count) {
        dropped.increment(count);
    }
}
