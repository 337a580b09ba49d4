package io.batchgate.runner.admission;

import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.util.List;
import java.util.Optional;

/** What admission made of a request: a new run, an earlier run replayed, or a refusal. */
public sealed interface Admitted permits Admitted.Accepted, Admitted.Replayed, Admitted.Refused {

    /**
     * A new run, committed with its outbox row. A run that overlap {@code forbid} turned away is
     * stored too, SKIPPED and never launched: {@code blockedBy} names the active run that blocked
     * it. {@code rerunOf} is the earlier run of the same execution key this one re-runs; {@code
     * replaced} the active runs that overlap {@code replace} cancelled once this one was committed.
     */
    record Accepted(Run run, Optional<RunId> blockedBy, Optional<RunId> rerunOf, List<RunId> replaced)
            implements Admitted {

        public Accepted {
            replaced = List.copyOf(replaced);
        }

        public boolean skipped() {
            return blockedBy.isPresent();
        }
    }

    /** The run an earlier request with the same idempotency or execution key created. */
    record Replayed(Run run) implements Admitted {}

    /** Nothing was stored, for this reason. */
    record Refused(Refusal reason) implements Admitted, Previewed {}
}
