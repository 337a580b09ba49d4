package io.batchgate.runner.track;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps work from being stranded by a runner replica that died: on an interval every runner
 * watches all running attempts again (idempotent) and takes over attempts stuck in LAUNCHING
 * for longer than the launch lease. Queued and retry-waiting runs need no such care: their
 * outbox rows are sent again until a runner claims them.
 */
public class WorkAdoption implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkAdoption.class);

    private final RunnerRecovery recovery;
    private final Clock clock;
    private final Duration interval;
    private final Duration launchLease;
    private ScheduledExecutorService scheduler;

    public WorkAdoption(RunnerRecovery recovery, Clock clock, Duration interval, Duration launchLease) {
        this.recovery = recovery;
        this.clock = clock;
        this.interval = interval;
        this.launchLease = launchLease;
    }

    /** One pass; returns how many attempts it looked after. */
    public int adopt() {
        return recovery.adoptOrphanedWork(clock.instant().minus(launchLease));
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "work-adoption");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        adopt();
                    } catch (RuntimeException e) {
                        log.error("adopting orphaned work failed; the next pass tries again", e);
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
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
