package io.batchgate.gateway.trigger;

import io.batchgate.gateway.audit.AuditRecord;
import io.batchgate.gateway.audit.AuditTrail;
import io.batchgate.gateway.audit.ParamsDigest;
import io.batchgate.runner.admission.AdmissionAudit;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import java.time.Clock;

/**
 * The API's audit record of an admitted run, written by admission in the transaction that stores
 * the run, with the HTTP status the trigger is answered with (409 for a SKIPPED run).
 */
class TriggerAudit implements AdmissionAudit {

    private final AuditTrail trail;
    private final Clock clock;

    TriggerAudit(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @Override
    public void admitted(AdmissionRequest.Requester requester, Run run) {
        boolean skipped = run.status() == RunStatus.SKIPPED;
        trail.append(new AuditRecord(
                0,
                clock.instant(),
                requester.caller(),
                requester.from(),
                "TRIGGER",
                requester.target(),
                run.job(),
                run.id().value(),
                skipped ? 409 : 202,
                skipped ? "overlap-forbidden" : "accepted",
                paramsDigest(run),
                run.source().value()));
    }

    /**
     * The audit digest of a stored run's parameters: over the values as bound (a JP1 date and its
     * ISO form are one trigger), with secrets masked.
     */
    static String paramsDigest(Run run) {
        return ParamsDigest.of(run.params(), run.secretParams());
    }
}
