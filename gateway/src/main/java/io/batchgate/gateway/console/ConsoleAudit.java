package io.batchgate.gateway.console;

import io.batchgate.gateway.audit.AuditRecord;
import io.batchgate.gateway.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit records of the console's own actions (sign-in, sign-out, cancels, refusals) with the
 * caller, the client's address and {@code runSource} {@code ui}. A run the console admits is
 * audited by admission itself, in the transaction that stores it, like an API trigger.
 */
class ConsoleAudit {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAudit.class);

    private final AuditTrail trail;
    private final Clock clock;

    ConsoleAudit(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    void record(
            HttpServletRequest request,
            @Nullable String caller,
            String action,
            @Nullable String job,
            @Nullable String runId,
            int status,
            String outcome) {
        try {
            trail.append(new AuditRecord(
                    0,
                    clock.instant(),
                    caller,
                    String.valueOf(request.getRemoteAddr()),
                    action,
                    request.getMethod() + " " + request.getRequestURI(),
                    job,
                    runId,
                    status,
                    outcome,
                    null,
                    "ui"));
        } catch (RuntimeException e) {
            log.error("could not write the audit record of console action {} ({})", action, outcome, e);
        }
    }
}
