package io.batchgate.gateway.auth;

import io.batchgate.gateway.problem.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * An authenticated API caller: its name (recorded as a run's {@code requestedBy} and in the
 * audit trail), its scopes, and its own trigger rate limit if it has one.
 */
public record Caller(String name, Scopes scopes, @Nullable TriggerRate triggerRate) {

    static final String ATTRIBUTE = Caller.class.getName();

    /** The caller the bearer-token filter authenticated for this request. */
    public static Caller of(HttpServletRequest request) {
        Caller caller = (Caller) request.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on " + request.getRequestURI());
        }
        return caller;
    }

    /** Makes this the request's authenticated caller (the console's session filter does). */
    public void bind(HttpServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    /** The authenticated caller, or null on a request that was refused before authentication. */
    public static @Nullable Caller orNull(HttpServletRequest request) {
        return (Caller) request.getAttribute(ATTRIBUTE);
    }

    /**
     * Refuses with 403 unless this caller may act on the job. Answered the same whether the job
     * exists or not, so a scope never reveals what the catalog holds.
     */
    public void require(Action action, String job) {
        if (!scopes.allows(action, job)) {
            throw forbidden("Caller '" + name + "' may not " + action.word() + " job '" + printable(job) + "'.");
        }
    }

    /**
     * As {@link #require}, for an action on an existing run: the refusal does not name the run's
     * job, so a run id tells a caller nothing about jobs outside its scopes.
     */
    public void requireForRun(Action action, String job) {
        if (!scopes.allows(action, job)) {
            throw forbidden("Caller '" + name + "' may not " + action.word() + " this run.");
        }
    }

    public void requireAdmin() {
        if (!scopes.admin()) {
            throw forbidden("Caller '" + name + "' is not an admin.");
        }
    }

    static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", detail, Map.of());
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }

    /** A token bucket's rate and burst for one caller's triggers. */
    public record TriggerRate(double perSecond, int burst) {
        public TriggerRate {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("a trigger rate needs perSecond > 0 and burst >= 1");
            }
        }
    }
}
