package io.batchgate.gateway.audit;

import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ProblemWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes the audit record of every trigger and cancel, every pause and resume of a schedule, and of every call refused for its token or
 * its scopes, once the answer is known (for a long-polling call, when it completes). Runs outside
 * the bearer-token filter so that calls without a valid token are audited too. A failure to write
 * is logged and counted, never turned into a failed call: the run it describes is already stored.
 */
class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Pattern TRIGGER = Pattern.compile("/api/v1/jobs/([^/]*)/runs/?");
    private static final Pattern CANCEL = Pattern.compile("/api/v1/runs/([^/]*)/cancel/?");
    private static final Pattern NET_START = Pattern.compile("/api/v1/nets/([^/]*)/runs/?");
    private static final Pattern NET_CONTROL = Pattern.compile("/api/v1/net-runs/([^/]*)/(cancel|rerun)/?");
    private static final Pattern SCHEDULE = Pattern.compile("/api/v1/schedules/([^/]*)/(pause|resume)/?");

    private final AuditTrail trail;
    private final Clock clock;
    private final Counter failures;

    AuditFilter(AuditTrail trail, Clock clock, MeterRegistry meters) {
        this.trail = trail;
        this.clock = clock;
        this.failures = Counter.builder("batchgate.audit.write_failures")
                .description("Audit records that could not be written")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        audit(request, response);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            } else {
                audit(request, response);
            }
        }
    }

    private void audit(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(AuditNotes.WRITTEN) != null) {
            return;
        }
        // matched on the decoded servlet path, as routing sees it; recorded as the client sent it
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        int status = response.getStatus();
        boolean post = "POST".equals(request.getMethod());
        Matcher trigger = TRIGGER.matcher(path);
        Matcher cancel = CANCEL.matcher(path);
        Matcher schedule = SCHEDULE.matcher(path);
        String action;
        String job = AuditNotes.get(request, AuditNotes.JOB);
        String runId = AuditNotes.get(request, AuditNotes.RUN);
        if (post && trigger.matches()) {
            action = "TRIGGER";
            job = job != null ? job : trigger.group(1);
        } else if (post && cancel.matches()) {
            action = "CANCEL";
        } else if (post && NET_START.matcher(path).matches()) {
            Matcher net = NET_START.matcher(path);
            net.matches();
            action = "NET_START";
            job = job != null ? job : net.group(1);
        } else if (post && NET_CONTROL.matcher(path).matches()) {
            Matcher control = NET_CONTROL.matcher(path);
            control.matches();
            action = "NET_" + control.group(2).toUpperCase(java.util.Locale.ROOT);
        } else if (post && schedule.matches()) {
            action = "PAUSE".equalsIgnoreCase(schedule.group(2)) ? "SCHEDULE_PAUSE" : "SCHEDULE_RESUME";
            job = job != null ? job : schedule.group(1);
        } else if (status == 401 || status == 403) {
            action = "REQUEST";
        } else {
            return;
        }
        String outcome = AuditNotes.get(request, AuditNotes.OUTCOME);
        if (outcome == null) {
            String problem = AuditNotes.get(request, ProblemWriter.TYPE_ATTRIBUTE);
            outcome = problem != null ? problem : "http-" + status;
        }
        Caller caller = Caller.orNull(request);
        try {
            trail.append(new AuditRecord(
                    0,
                    clock.instant(),
                    caller == null ? null : caller.name(),
                    String.valueOf(request.getRemoteAddr()),
                    action,
                    request.getMethod() + " " + request.getRequestURI(),
                    job,
                    runId,
                    status,
                    outcome,
                    AuditNotes.get(request, AuditNotes.PARAMS),
                    null));
        } catch (RuntimeException e) {
            failures.increment();
            log.error("could not write the audit record of {} {} ({})", request.getMethod(), path, status, e);
        }
    }
}
