package io.batchgate.bench;

/** The job JobRunr runs in {@link EndToEndBenchmark}: nothing. Public, as JobRunr needs. */
public final class NoOpJob {

    private NoOpJob() {}

    public static void run() {
        // no-op: the benchmark measures the scheduler, not the job
    }
}
