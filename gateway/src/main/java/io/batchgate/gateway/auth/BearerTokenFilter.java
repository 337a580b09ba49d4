package io.batchgate.gateway.auth;

import io.batchgate.gateway.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/**} call needs {@code Authorization: Bearer <token>}. Tokens are kept as
 * SHA-256 digests and every configured digest is compared in constant time, so neither the
 * answer nor its timing tells how close a guess was. The caller's name goes into a request
 * attribute for the controllers.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    public static final String CALLER = BearerTokenFilter.class.getName() + ".caller";

    private final List<Known> known;
    private final ProblemWriter problems;

    public BearerTokenFilter(AuthProperties properties, ProblemWriter problems) {
        this.known = properties.tokens().stream()
                .map(caller -> new Known(caller.name(), sha256(caller.token())))
                .toList();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String caller = authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
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
        request.setAttribute(CALLER, caller);
        chain.doFilter(request, response);
    }

    private @Nullable String authenticate(@Nullable String header) {
        if (header == null || header.length() > 1024 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] presented = sha256(header.substring(7).trim());
        String match = null;
        for (Known candidate : known) {
            if (MessageDigest.isEqual(candidate.digest(), presented) && match == null) {
                match = candidate.name();
            }
        }
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Known(String name, byte[] digest) {}
}
