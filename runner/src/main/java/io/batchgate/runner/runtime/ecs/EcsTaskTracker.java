package io.batchgate.runner.runtime.ecs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the ECS runtime's tracking sweep on one thread, on a fixed delay. A failing sweep is logged
 * and the next one tries again; the loop never dies silently.
 */
public class EcsTaskTracker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EcsTaskTracker.class);
    private static final int RECENT = 1000;

    private final EcsTaskRuntime runtime;
    private final EcsOrphanScanner orphans;
    private final EcsRuntimeProperties properties;
    private final Timer sweepTimer;
    private final Counter describeCalls;
    private final Deque<EcsTaskRuntime.SweepResult> recent = new ConcurrentLinkedDeque<>();
    private ScheduledExecutorService scheduler;

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
        Gauge.builder("batchgate.ecs.tasks.watched", runtime, EcsTaskRuntime::watchedTasks)
                .description("ECS tasks this runner follows")
                .register(meters);
    }

    private void sweepOnce() {
        try {
            EcsTaskRuntime.SweepResult result = sweepTimer.record(runtime::sweep);
            if (result != null) {
                describeCalls.increment(result.calls());
                recent.addLast(result);
                while (recent.size() > RECENT) {
                    recent.pollFirst();
                }
            }
        } catch (RuntimeException e) {
            log.error("ECS tracking sweep failed; the next one tries again", e);
        }
    }

    private void scanForOrphans() {
        try {
            orphans.scan();
        } catch (RuntimeException e) {
            log.error("ECS orphan scan failed; the next one tries again", e);
        }
    }

    /** The last sweeps (up to 1,000), oldest first: what each cost in DescribeTasks calls. */
    public List<EcsTaskRuntime.SweepResult> recentSweeps() {
        return List.copyOf(recent);
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ecs-tracker");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.trackInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepOnce, interval, interval, TimeUnit.MILLISECONDS);
        long orphanInterval = properties.orphanScanInterval().toMillis();
        if (orphanInterval > 0) {
            scheduler.scheduleWithFixedDelay(
                    this::scanForOrphans, orphanInterval, orphanInterval, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
