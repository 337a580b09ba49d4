package io.batchgate.runner.loop;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One background loop on its own daemon thread, run with a fixed delay between passes. A pass
 * that fails is logged and the next one tries again: background loops never die silently.
 */
public final class PeriodicLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicLoop.class);

    private final String name;
    private final Duration interval;
    private final Runnable pass;
    private ScheduledExecutorService scheduler;
    private volatile boolean stopping;

    public PeriodicLoop(String name, Duration interval, Runnable pass) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(name + ": the interval must be positive, was " + interval);
        }
        this.name = name;
        this.interval = interval;
        this.pass = pass;
    }

    private void runPass() {
        try {
            pass.run();
        } catch (RuntimeException e) {
            if (stopping || Thread.currentThread().isInterrupted() || interrupted(e)) {
                // stop() interrupts a pass in progress (shutdown): that is not a failure
                log.info("{} stopped during a pass ({})", name, e.getMessage());
            } else {
                log.error("{} failed; the next pass tries again", name, e);
            }
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException
                    || cause instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        stopping = false;
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::runPass, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            stopping = true;
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
