package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import java.util.Optional;

/** A history filter: optional job and status, a page size, and the id the previous page ended at. */
public record RunQuery(Optional<String> job, Optional<RunStatus> status, int limit, Optional<RunId> before) {

    public static final int MAX_LIMIT = 500;

    public RunQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
        }
    }
}
