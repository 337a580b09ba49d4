package io.batchgate.runner.net;

import io.batchgate.catalog.ParamViolation;
import java.util.List;

/** What a request to start a net run came to. */
public sealed interface NetStart {

    /** A new net run (possibly SKIPPED by overlap forbid), or with {@code replayed} the one an earlier request with the same key started. */
    record Started(NetRun run, boolean replayed) implements NetStart {}

    /** Nothing was stored. */
    record Refused(Reason reason) implements NetStart {}

    sealed interface Reason {}

    record UnknownNet(String net) implements Reason {}

    record InvalidParams(String net, List<ParamViolation> violations) implements Reason {
        public InvalidParams {
            violations = List.copyOf(violations);
        }
    }

    /** The idempotency key names an earlier net run started with other parameters. */
    record KeyReused(String net, NetRunId run) implements Reason {}
}
