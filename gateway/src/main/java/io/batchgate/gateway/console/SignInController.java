package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.auth.CallerRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Sign-in with a caller's API token (the same callers and scopes as the API), and sign-out. The
 * session keeps the token's digest server-side; its cookie is HttpOnly and SameSite=Strict
 * (application.yaml), Secure when the request came over TLS.
 */
@Controller
class SignInController {

    private final CallerRegistry callers;
    private final ConsoleAudit audit;
    private final SecureRandom random;

    SignInController(CallerRegistry callers, ConsoleAudit audit, SecureRandom consoleRandom) {
        this.callers = callers;
        this.audit = audit;
        this.random = consoleRandom;
    }

    @GetMapping({"/ui", "/ui/"})
    String home() {
        return "redirect:/ui/runs";
    }

    @GetMapping(ConsoleFilter.SIGN_IN)
    String signInPage(@RequestParam(required = false) @Nullable String next, Model model) {
        model.addAttribute("next", safeNext(next));
        return "console/sign-in";
    }

    @PostMapping(ConsoleFilter.SIGN_IN)
    String signIn(
            @RequestParam(defaultValue = "") String token,
            @RequestParam(required = false) @Nullable String next,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        byte[] digest = CallerRegistry.digestOf(token.strip());
        Caller caller = token.isBlank() || token.length() > 1024 ? null : callers.authenticateDigest(digest);
        if (caller == null) {
            audit.record(request, null, "SIGN_IN", null, null, 401, "unauthorized");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute("next", safeNext(next));
            model.addAttribute("error", "That token is not known here.");
            return "console/sign-in";
        }
        ConsoleSession.signIn(request, digest, random);
        audit.record(request, caller.name(), "SIGN_IN", null, null, 303, "signed-in");
        return "redirect:" + safeNext(next);
    }

    @PostMapping("/ui/sign-out")
    String signOut(HttpServletRequest request) {
        Caller caller = Caller.orNull(request);
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        audit.record(request, caller == null ? null : caller.name(), "SIGN_OUT", null, null, 303, "signed-out");
        return "redirect:" + ConsoleFilter.SIGN_IN;
    }

    /** Only a console path: never another site (an open redirect), never a protocol-relative URL. */
    static String safeNext(@Nullable String next) {
        if (next == null
                || !next.startsWith("/ui/")
                || next.startsWith("//")
                || next.contains("\\")
                || next.chars().anyMatch(Character::isISOControl)) {
            return "/ui/runs";
        }
        return next;
    }
}
