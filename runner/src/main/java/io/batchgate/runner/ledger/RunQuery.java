package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import java.util.List;
import java.util.Optional;

/**
 * A history filter: optional job and status, the job-name globs the caller may read (empty: all),
 * a page size, and the id the previous page ended at.
 */
public record RunQuery(
        Optional<String> job, Optional<RunStatus> status, List<String> jobPatterns, int limit, Optional<RunId> before) {

    public static final int MAX_LIMIT = 500;

    public RunQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
        }
        jobPatterns = List.copyOf(jobPatterns);
    }

    public RunQuery(Optional<String> job, Optional<RunStatus> status, int limit, Optional<RunId> before) {
        this(job, status, List.of(), limit, before);
    }
}
