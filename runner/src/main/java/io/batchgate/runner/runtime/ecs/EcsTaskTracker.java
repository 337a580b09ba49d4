package io.batchgate.runner.runtime.ecs;

import io.batchgate.runner.loop.PeriodicLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the ECS runtime's tracking sweep (and the orphan scan) on their loops, and keeps what
 * each sweep cost for metrics, tests and benchmarks.
 */
public class EcsTaskTracker implements SmartLifecycle {

    private static final int RECENT = 1000;

    private final EcsTaskRuntime runtime;
    private final EcsOrphanScanner orphans;
    private final EcsRuntimeProperties properties;
    private final Timer sweepTimer;
    private final Counter describeCalls;
    private final Deque<EcsTaskRuntime.SweepResult> recent = new ConcurrentLinkedDeque<>();
    private final PeriodicLoop sweeps;
    private final @Nullable PeriodicLoop orphanScans;

    public EcsTaskTracker(
            EcsTaskRuntime runtime, EcsOrphanScanner orphans, EcsRuntimeProperties properties, MeterRegistry meters) {
        this.runtime = runtime;
        this.orphans = orphans;
        this.properties = properties;
        this.sweepTimer = Timer.builder("batchgate.ecs.sweep")
                .description("ECS tracking sweeps")
                .register(meters);
        this.describeCalls = Counter.builder("batchgate.ecs.describe.calls")
                .description("DescribeTasks calls made by tracking sweeps")
                .register(meters);
        this.sweeps = new PeriodicLoop("ecs-tracker", properties.trackInterval(), this::sweepOnce);
        this.orphanScans = properties.orphanScanInterval().isZero()
                ? null
                : new PeriodicLoop("ecs-orphan-scan", properties.orphanScanInterval(), orphans::scan);
        Gauge.builder("batchgate.ecs.tasks.watched", runtime, EcsTaskRuntime::watchedTasks)
                .description("ECS tasks this runner follows")
                .register(meters);
    }

    private void sweepOnce() {
        EcsTaskRuntime.SweepResult result = sweepTimer.record(runtime::sweep);
        if (result != null) {
            describeCalls.increment(result.calls());
            recent.addLast(result);
            while (recent.size() > RECENT) {
                recent.pollFirst();
            }
        }
    }

    /** The last sweeps (up to 1,000), oldest first: what each cost in DescribeTasks calls. */
    public List<EcsTaskRuntime.SweepResult> recentSweeps() {
        return List.copyOf(recent);
    }

    @Override
    public void start() {
        sweeps.start();
        if (orphanScans != null) {
            orphanScans.start();
        }
    }

    @Override
    public void stop() {
        sweeps.stop();
        if (orphanScans != null) {
            orphanScans.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return sweeps.isRunning();
    }
}
