package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.auth.CallerRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Guards every {@code /ui/**} request: the session must belong to a caller in force (else the
 * sign-in page, or for htmx an {@code HX-Redirect} to it), and every request that changes
 * something (anything but GET and HEAD, the sign-in form included) must carry the session's CSRF
 * token. Also sets the console's security headers: no framing, scripts and styles from this origin
 * only, nothing cached.
 */
class ConsoleFilter extends OncePerRequestFilter {

    static final String SIGN_IN = "/ui/sign-in";
    static final String ASSETS = "/ui/assets/";
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final Supplier<CallerRegistry> callers;
    private final ConsoleAudit audit;

    ConsoleFilter(Supplier<CallerRegistry> callers, ConsoleAudit audit) {
        this.callers = callers;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.startsWith(ASSETS)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
        byte[] digest = ConsoleSession.tokenDigest(request.getSession(false));
        Caller caller = digest == null ? null : callers.get().authenticateDigest(digest);
        boolean changes =
                !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
        if (changes && !ConsoleSession.csrfMatches(request)) {
            audit.record(request, caller == null ? null : caller.name(), "UI", null, null, 403, "csrf-refused");
            response.sendError(
                    HttpServletResponse.SC_FORBIDDEN,
                    "This form is out of date or was not sent by the console (CSRF token missing or wrong): reload"
                            + " the page and try again.");
            return;
        }
        if (path.equals(SIGN_IN)) {
            chain.doFilter(request, response);
            return;
        }
        if (caller == null) {
            String next = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            String location = request.getContextPath()
                    + SIGN_IN
                    + (request.getMethod().equals("GET") && !path.equals("/ui") && !path.equals("/ui/")
                            ? "?next=" + UriUtils.encodeQueryParam(next, StandardCharsets.UTF_8)
                            : "");
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", location);
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            } else if (changes) {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Sign in first.");
            } else {
                response.sendRedirect(location);
            }
            return;
        }
        caller.bind(request);
        chain.doFilter(request, response);
    }
}
