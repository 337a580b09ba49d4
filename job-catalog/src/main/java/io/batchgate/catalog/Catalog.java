package io.batchgate.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A loaded, valid catalog.
 *
 * @param version {@code git:<commit>+sha256:<16 hex>} or {@code sha256:<16 hex>} of the files
 * @param jobs sorted by job name
 * @param nets job nets, sorted by net name
 * @param warnings problems that do not stop the catalog from loading
 */
public record Catalog(
        String version,
        Map<String, JobDefinition> jobs,
        Map<String, NetDefinition> nets,
        List<CatalogProblem> warnings) {

    /** A catalog without nets. */
    public Catalog(String version, Map<String, JobDefinition> jobs, List<CatalogProblem> warnings) {
        this(version, jobs, Map.of(), warnings);
    }

    public Catalog {
        nets = Collections.unmodifiableMap(new TreeMap<>(nets));
        Objects.requireNonNull(version, "version");
        jobs = Collections.unmodifiableMap(new TreeMap<>(jobs));
        jobs.forEach((key, job) -> {
            if (!key.equals(job.name())) {
                throw new IllegalArgumentException("job key " + key + " holds the job " + job.name());
            }
        });
        warnings = List.copyOf(warnings);
        for (NetDefinition net : nets.values()) {
            JobDefinition job = jobs.get(net.name());
            if (net.schedule().isPresent() && job != null && job.schedule().isPresent()) {
                throw new IllegalArgumentException("job and net " + net.name() + " both have a schedule");
            }
        }
    }

    public Optional<JobDefinition> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    public Optional<NetDefinition> net(String name) {
        return Optional.ofNullable(nets.get(name));
    }

    /**
     * Every schedule of the catalog (jobs' and nets') by name (its target's name), sorted. A job
     * and a net of the same name cannot both have a schedule: the loader refuses that catalog.
     */
    public Map<String, ScheduleSpec> schedules() {
        Map<String, ScheduleSpec> schedules = new TreeMap<>();
        jobs.values().forEach(job -> job.schedule().ifPresent(s -> schedules.put(s.name(), s)));
        nets.values().forEach(net -> net.schedule().ifPresent(s -> schedules.put(s.name(), s)));
        return Collections.unmodifiableMap(schedules);
    }
}
