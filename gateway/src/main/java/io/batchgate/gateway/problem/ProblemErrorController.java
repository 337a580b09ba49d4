package io.batchgate.gateway.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC — by the servlet container (bad URI, oversized header) or a
 * filter — land here and are answered as problem+json like everything else, never as HTML.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.resolve(value)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String slug = status.name().toLowerCase().replace('_', '-');
        String detail = status.is5xxServerError()
                ? "The request could not be completed; the error is in the gateway's log."
                : "The request was refused: " + status.getReasonPhrase() + ".";
        return ResponseEntity.status(status)
                .contentType(ProblemWriter.PROBLEM_JSON)
                .body(ProblemWriter.detail(
                        status,
                        slug,
                        status.getReasonPhrase(),
                        detail,
                        Map.of(),
                        uri instanceof String path ? path : ""));
    }
}
