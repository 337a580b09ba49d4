package io.batchgate.gateway.auth;

import io.batchgate.gateway.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/**} call and {@code /actuator/prometheus} need {@code Authorization: Bearer
 * <token>}: 401 without a known token. The metrics endpoint also needs the {@code metrics} scope;
 * what a caller may do to which job is checked where the job is known (see {@link Caller#require}).
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    static final String METRICS_PATH = "/actuator/prometheus";

    private final java.util.function.Supplier<CallerRegistry> callers;
    private final ProblemWriter problems;

    public BearerTokenFilter(java.util.function.Supplier<CallerRegistry> callers, ProblemWriter problems) {
        this.callers = callers;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (caller == null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"batchgate\"");
            problems.write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    "Authentication required",
                    "Send a valid token as 'Authorization: Bearer <token>'.");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        // the servlet path is decoded and free of ;parameters, like the path routing sees
        // (the filter's registration limits it to /api/* and the metrics endpoint)
        if (request.getServletPath().equals(METRICS_PATH) && !caller.scopes().metrics()) {
            problems.write(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "forbidden",
                    "Not allowed",
                    "Caller '" + caller.name() + "' needs the metrics scope.");
            return;
        }
        chain.doFilter(request, response);
    }

    private @Nullable Caller authenticate(@Nullable String header) {
        if (header == null || header.length() > 1024 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return callers.get().authenticate(header.substring(7).trim());
    }
}
