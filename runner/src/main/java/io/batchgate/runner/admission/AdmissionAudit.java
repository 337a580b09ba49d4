package io.batchgate.runner.admission;

import io.batchgate.runner.run.Run;

/**
 * Records an admitted run in the audit trail, in the transaction that stores the run: a trigger
 * is audited atomically with what it created. The trail (and how a record maps to the caller's
 * protocol) belongs to the way in, such as the HTTP API; admission only says what it stored.
 */
@FunctionalInterface
public interface AdmissionAudit {

    /** A new run, QUEUED or SKIPPED (overlap forbid); replays are not audited here. */
    void admitted(AdmissionRequest.Requester requester, Run run);
}
