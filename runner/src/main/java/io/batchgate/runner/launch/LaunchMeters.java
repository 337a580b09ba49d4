package io.batchgate.runner.launch;

import io.batchgate.runner.runtime.StartResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Counts the answers of the runtimes to launches, per runtime: started, or refused and why
 * (throttled, rate_limited, capacity, unavailable, configuration). One launch try is one count, so
 * a launch deferred three times by capacity counts three refusals and, at last, one start.
 */
final class LaunchMeters {

    private final MeterRegistry meters;

    LaunchMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(String runtime, StartResult result) {
        String value = result instanceof StartResult.Refused refused
                ? refused.kind().name().toLowerCase(Locale.ROOT)
                : "started";
        Counter.builder("batchgate.launches")
                .description("launch tries by runtime and result: started, or why the runtime refused")
                .tag("runtime", runtime)
                .tag("result", value)
                .register(meters)
                .increment();
    }
}
