package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.catalog.CurrentCatalog;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Provisions the catalog's checks once the application starts, and after each reload those of
 * jobs that are new or whose monitor changed (and those whose check failed last time), on a thread
 * of its own: a Healthchecks outage delays nothing and stops nothing (it is logged and reported).
 */
final class CheckProvisioning implements SmartLifecycle {

    private final HealthchecksChecks checks;
    private final CurrentCatalog catalog;
    private final AtomicReference<HealthchecksChecks.Report> last = new AtomicReference<>();
    /** One pass at a time, in the order of the swaps. */
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread daemon = new Thread(task, "monitor-checks");
        daemon.setDaemon(true);
        return daemon;
    });
    /** The catalog of the last pass; touched on {@link #thread} only. */
    private @Nullable Catalog provisioned;

    private volatile boolean running;

    CheckProvisioning(HealthchecksChecks checks, CurrentCatalog catalog) {
        this.checks = checks;
        this.catalog = catalog;
        catalog.onSwap(this::swapped);
    }

    /** What the last pass did; empty until it has finished. */
    public Optional<HealthchecksChecks.Report> lastReport() {
        return Optional.ofNullable(last.get());
    }

    @Override
    public void start() {
        running = true;
        Catalog now = catalog.get();
        thread.execute(() -> pass(now, name -> true));
    }

    private void swapped(Catalog next) {
        if (!running) {
            return; // the start-up pass reads the catalog in force then
        }
        thread.execute(() -> {
            Catalog before = provisioned;
            HealthchecksChecks.Report report = last.get();
            pass(
                    next,
                    name -> before == null
                            || !Objects.equals(monitorOf(before, name), monitorOf(next, name))
                            || (report != null && report.failed().stream().anyMatch(f -> f.startsWith(name + " "))));
        });
    }

    private void pass(Catalog of, Predicate<String> which) {
        last.set(checks.provision(of, which));
        provisioned = of;
    }

    private static Optional<?> monitorOf(Catalog catalog, String job) {
        return catalog.job(job).flatMap(JobDefinition::monitor);
    }

    @Override
    public void stop() {
        running = false;
        thread.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
