package io.batchgate.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An open-loop HTTP load generator on the JDK's {@link HttpClient} (HTTP/1.1, its default
 * connection pool): requests are sent at a fixed arrival rate, each at its scheduled time whether
 * or not earlier ones have been answered, and each latency is measured from the scheduled time to
 * the complete response, so a stalled server shows in the latencies instead of slowing the load
 * (no coordinated omission).
 */
final class OpenLoop {

    /** Latencies in milliseconds of the answers with the expected status, and how many were not. */
    record Result(double[] latenciesMs, int errors, double achievedRatePerSecond) {}

    private final HttpClient http;

    OpenLoop(HttpClient http) {
        this.http = http;
    }

    Result run(Supplier<HttpRequest> requests, int expectedStatus, double ratePerSecond, int count) throws Exception {
        double[] latencies = new double[count];
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<Void>> pending = new ArrayList<>(count);
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            pending.add(http.sendAsync(requests.get(), HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        latencies[index] = (System.nanoTime() - scheduled) / 1e6;
                        if (failure != null || response.statusCode() != expectedStatus) {
                            errors.incrementAndGet();
                        }
                        return null;
                    }));
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return new Result(latencies, errors.get(), count / Math.max(sendSeconds, 1e-9));
    }
}
