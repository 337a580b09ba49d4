package io.batchgate.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Waiters: 1,000 clients waiting on {@code GET /api/v1/runs/{id}?wait=} at once — live threads,
 * heap, and the delay between a run finishing and its waiter being answered (p99). The trigger API
 * has no {@code ?wait=} yet (issue #5), so this prints a skip line; the benchmark goes here, in this
 * one class ({@link BenchApp} starts the application, {@link OpenLoop} or a thread pool drives the
 * clients, {@link BenchReport} records the figures).
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class WaitersBenchmark {

    @Test
    void thousandWaiters() {
        BenchReport report = new BenchReport("WaitersBenchmark", BenchReport.quick());
        report.skipped("waiters", "needs ?wait, issue #5");
        report.write();
    }
}
