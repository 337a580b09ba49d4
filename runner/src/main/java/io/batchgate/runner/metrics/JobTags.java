package io.batchgate.runner.metrics;

import io.batchgate.catalog.Catalog;
import io.batchgate.runner.catalog.CurrentCatalog;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value of the {@code job} tag: a job name of a catalog this replica has had in force (since it
 * started, reloads included), else {@value #OTHER}. Whatever reaches a meter, the number of series
 * per meter stays bounded by what operators put in the catalog: a name from anywhere else (a run
 * of a job removed before this replica started, a bug) cannot create a series.
 */
public final class JobTags {

    /** The tag value of every job name not in a catalog this replica has had in force. */
    public static final String OTHER = "other";

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public JobTags(CurrentCatalog catalog) {
        // registered before the first read, so a reload in between is not missed
        catalog.onSwap(this::add);
        add(catalog.get());
    }

    private void add(Catalog catalog) {
        known.addAll(catalog.jobs().keySet());
    }

    /** The tag value for a run of {@code job}. */
    public String of(String job) {
        return known.contains(job) ? job : OTHER;
    }

    /** The job names that are tag values, sorted. */
    public Set<String> known() {
        return new TreeSet<>(known);
    }
}
