package io.batchgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The maximum rate: {@code workers} threads each repeat an operation back to back for a fixed
 * time; completed operations ÷ seconds. Each worker first creates its own state (a JDBC connection,
 * say) outside the measured time.
 */
final class ClosedLoop {

    /** One worker's operation and the state it keeps between calls. */
    interface Worker extends AutoCloseable {
        void run() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    interface WorkerFactory {
        Worker create() throws Exception;
    }

    private final int workers;

    ClosedLoop(int workers) {
        this.workers = workers;
    }

    /** Runs for {@code seconds}; returns operations completed per second (a failed operation fails the run). */
    double opsPerSecond(WorkerFactory factory, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Worker> created = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                created.add(factory.create());
            }
            AtomicLong done = new AtomicLong();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Future<Void>> running = new ArrayList<>();
            for (Worker worker : created) {
                running.add(pool.submit(() -> {
                    try (worker) {
                        while (System.nanoTime() < end) {
                            worker.run();
                            done.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> future : running) {
                future.get();
            }
            return done.get() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
