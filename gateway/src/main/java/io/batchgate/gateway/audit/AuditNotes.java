package io.batchgate.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a controller knows about an audited call that the audit filter cannot see: the job, the
 * run, the parameters' digest, the outcome, and whether the record was already written in the
 * call's own transaction (an accepted trigger is audited atomically with the run it creates).
 */
public final class AuditNotes {

    static final String JOB = AuditNotes.class.getName() + ".job";
    static final String RUN = AuditNotes.class.getName() + ".run";
    static final String PARAMS = AuditNotes.class.getName() + ".params";
    static final String OUTCOME = AuditNotes.class.getName() + ".outcome";
    static final String WRITTEN = AuditNotes.class.getName() + ".written";

    private AuditNotes() {}

    public static void job(HttpServletRequest request, String job) {
        request.setAttribute(JOB, job);
    }

    public static void run(HttpServletRequest request, String runId) {
        request.setAttribute(RUN, runId);
    }

    public static void params(HttpServletRequest request, String sha256) {
        request.setAttribute(PARAMS, sha256);
    }

    public static void outcome(HttpServletRequest request, String outcome) {
        request.setAttribute(OUTCOME, outcome);
    }

    public static void written(HttpServletRequest request) {
        request.setAttribute(WRITTEN, Boolean.TRUE);
    }

    static @Nullable String get(HttpServletRequest request, String name) {
        Object value = request.getAttribute(name);
        return value == null ? null : value.toString();
    }
}
