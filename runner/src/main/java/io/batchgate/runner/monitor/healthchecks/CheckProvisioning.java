package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.runner.catalog.CurrentCatalog;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.SmartLifecycle;

/**
 * Provisions the catalog's checks once the application starts, on a thread of its own: a
 * Healthchecks outage delays nothing and stops nothing (it is logged and reported).
 */
final class CheckProvisioning implements SmartLifecycle {

    private final HealthchecksChecks checks;
    private final CurrentCatalog catalog;
    private final AtomicReference<HealthchecksChecks.Report> last = new AtomicReference<>();
    private volatile boolean running;

    CheckProvisioning(HealthchecksChecks checks, CurrentCatalog catalog) {
        this.checks = checks;
        this.catalog = catalog;
    }

    /** What the last pass did; empty until it has finished. */
    public Optional<HealthchecksChecks.Report> lastReport() {
        return Optional.ofNullable(last.get());
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(() -> last.set(checks.provision(catalog.get())), "monitor-checks");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
