package io.batchgate.gateway.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * What a console session holds, server-side: the SHA-256 of the caller's token (never the token;
 * the caller is looked up again on every request, so a revoked token ends the session) and the
 * session's CSRF token (a synchronizer token every form and htmx post must send back).
 */
final class ConsoleSession {

    static final String CSRF_PARAMETER = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String TOKEN_DIGEST = ConsoleSession.class.getName() + ".tokenDigest";
    private static final String CSRF = ConsoleSession.class.getName() + ".csrf";

    private ConsoleSession() {}

    static byte @Nullable [] tokenDigest(@Nullable HttpSession session) {
        return session == null ? null : (byte[]) session.getAttribute(TOKEN_DIGEST);
    }

    static void signIn(HttpServletRequest request, byte[] tokenDigest, SecureRandom random) {
        HttpSession session = request.getSession(true);
        // a new id on sign-in: an id planted before it (session fixation) is worth nothing after
        request.changeSessionId();
        session.setAttribute(TOKEN_DIGEST, tokenDigest.clone());
        session.setAttribute(CSRF, newToken(random));
    }

    /** The session's CSRF token, created with the session if needed (the sign-in form has one too). */
    static String csrfToken(HttpServletRequest request, SecureRandom random) {
        HttpSession session = request.getSession(true);
        String token = (String) session.getAttribute(CSRF);
        if (token == null) {
            token = newToken(random);
            session.setAttribute(CSRF, token);
        }
        return token;
    }

    /** Whether the request carries its session's CSRF token (form field or header), compared in constant time. */
    static boolean csrfMatches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String expected = session == null ? null : (String) session.getAttribute(CSRF);
        String presented = request.getHeader(CSRF_HEADER);
        if (presented == null) {
            presented = request.getParameter(CSRF_PARAMETER);
        }
        return expected != null
                && presented != null
                && MessageDigest.isEqual(expected.getBytes(), presented.getBytes());
    }

    private static String newToken(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
