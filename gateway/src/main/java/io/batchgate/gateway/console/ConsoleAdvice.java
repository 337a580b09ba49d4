package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.ledger.RunNotFoundException;
import io.batchgate.runner.net.NetRunNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page needs (the caller, the CSRF token), and refusals as pages: a scope the
 * caller lacks is the API's 403, shown as HTML. Ordered before the API's problem+json advice, and
 * limited to the console's controllers.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private final SecureRandom random;
    private final ConsoleFormat format = new ConsoleFormat();

    ConsoleAdvice(SecureRandom consoleRandom) {
        this.random = consoleRandom;
    }

    @ModelAttribute
    void common(HttpServletRequest request, Model model) {
        model.addAttribute("csrf", ConsoleSession.csrfToken(request, random));
        model.addAttribute("ui", format);
        Caller caller = Caller.orNull(request);
        model.addAttribute("callerName", caller == null ? null : caller.name());
        model.addAttribute("admin", caller != null && caller.scopes().admin());
    }

    @ExceptionHandler(ApiProblem.class)
    String problem(ApiProblem problem, HttpServletRequest request, HttpServletResponse response, Model model) {
        common(request, model);
        response.setStatus(problem.status().value());
        model.addAttribute("title", problem.title());
        model.addAttribute("detail", problem.detail());
        model.addAttribute("status", problem.status().value());
        return "console/error";
    }

    @ExceptionHandler(RunNotFoundException.class)
    String notFound(RunNotFoundException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        common(request, model);
        response.setStatus(404);
        model.addAttribute("title", "No such run");
        model.addAttribute("detail", "There is no run " + e.runId() + ".");
        model.addAttribute("status", 404);
        return "console/error";
    }

    @ExceptionHandler(NetRunNotFoundException.class)
    String netRunNotFound(
            NetRunNotFoundException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        common(request, model);
        response.setStatus(404);
        model.addAttribute("title", "No such net run");
        model.addAttribute("detail", "There is no net run " + e.id() + ".");
        model.addAttribute("status", 404);
        return "console/error";
    }
}
