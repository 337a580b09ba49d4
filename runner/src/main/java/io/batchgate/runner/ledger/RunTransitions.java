package io.batchgate.runner.ledger;

import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.TimelineEntry;
import java.util.List;

/**
 * Told of the transitions the ledger stores, inside the storing transaction: what it writes
 * commits or rolls back with the run (a transactional outbox, like the launch outbox). The one
 * seam for whatever follows runs from outside (heartbeats); it must not throw for its own faults.
 */
public interface RunTransitions {

    /** {@code entries} were just stored for {@code run}, which is in the state they led to. */
    void recorded(Run run, List<TimelineEntry> entries);
}
