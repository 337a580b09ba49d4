package io.batchgate.gateway.problem;

import io.batchgate.runner.ledger.RunNotFoundException;
import io.batchgate.runner.net.NetRunNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * The one place where exceptions become RFC 9457 answers. Spring MVC's own refusals (method,
 * media type, missing route) get a batchgate problem type too; anything unexpected is a 500 that
 * says nothing about the inside, and is logged in full.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> answer = problem(
                problem.status(), problem.type(), problem.title(), problem.detail(), problem.properties(), request);
        Object retryAfter = problem.properties().get("retryAfterSeconds");
        if (retryAfter == null) {
            return answer;
        }
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, retryAfter.toString())
                .body(answer.getBody());
    }

    @ExceptionHandler(NetRunNotFoundException.class)
    ResponseEntity<ProblemDetail> netRunNotFound(NetRunNotFoundException e, HttpServletRequest request) {
        return problem(
                HttpStatus.NOT_FOUND,
                "net-run-not-found",
                "No such net run",
                "There is no net run " + e.id() + ".",
                Map.of(),
                request);
    }

    @ExceptionHandler(RunNotFoundException.class)
    ResponseEntity<ProblemDetail> runNotFound(RunNotFoundException e, HttpServletRequest request) {
        return problem(
                HttpStatus.NOT_FOUND,
                "run-not-found",
                "No such run",
                "There is no run " + e.runId() + ".",
                Map.of(),
                request);
    }

    /**
     * The database cannot be reached right now (restart, failover): nothing was accepted, and the
     * caller may simply try again — 503 with Retry-After, not a 500.
     */
    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        CannotCreateTransactionException.class,
        TransactionSystemException.class
    })
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e, HttpServletRequest request) {
        log.warn("database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        ResponseEntity<ProblemDetail> answer = problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "database-unavailable",
                "Database unavailable",
                "The database cannot be reached right now; nothing was stored. Try again" + " shortly.",
                Map.of(),
                request);
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(answer.getBody());
    }

    /**
     * A multipart body (or one the servlet container tried to read as multipart) is not something
     * the API accepts: 415 like any other unsupported body, not a 500. Multipart parsing is off
     * ({@code spring.servlet.multipart.enabled=false}), so this is only a safety net.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e, HttpServletRequest request) {
        log.debug("multipart body refused on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                "Multipart bodies are not accepted. Send application/json ({\"params\": {...}}) or"
                        + " application/x-www-form-urlencoded, in UTF-8.",
                Map.of(),
                request);
    }

    @ExceptionHandler(Exception.class)
    @Nullable
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            // the caller went away (closed the connection, timed out): nobody to answer, nothing wrong here
            log.debug("client gone on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return null;
        }
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error",
                "Internal error",
                "The request could not be completed; the error is in the gateway's log.",
                Map.of(),
                request);
    }

    /**
     * Writing an answer failed. When the caller has hung up (reset the connection mid-answer)
     * there is nobody to tell and nothing wrong with the gateway: DEBUG, not a warning.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotWritable(
            HttpMessageNotWritableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("client gone on {}: {}", request.getDescription(false), e.getMessage());
            return null;
        }
        return super.handleHttpMessageNotWritable(e, headers, status, request);
    }

    /** Spring MVC's own exceptions (405, 406, 415, 404 route, …): keep their status, add our type. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail : ProblemDetail.forStatus(statusCode);
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        String slug = status == null
                ? "http-" + statusCode.value()
                : status.name().toLowerCase().replace('_', '-');
        problem.setType(java.net.URI.create("/problems/" + slug));
        if (request instanceof ServletWebRequest servlet) {
            problem.setInstance(java.net.URI.create(servlet.getRequest().getRequestURI()));
            servlet.getRequest().setAttribute(ProblemWriter.TYPE_ATTRIBUTE, slug);
        }
        return ResponseEntity.status(statusCode)
                .headers(headers)
                .contentType(ProblemWriter.PROBLEM_JSON)
                .body(problem);
    }

    private static ResponseEntity<ProblemDetail> problem(
            HttpStatusCode status,
            String type,
            String title,
            String detail,
            Map<String, Object> properties,
            HttpServletRequest request) {
        request.setAttribute(ProblemWriter.TYPE_ATTRIBUTE, type);
        return ResponseEntity.status(status)
                .contentType(ProblemWriter.PROBLEM_JSON)
                .body(ProblemWriter.detail(status, type, title, detail, properties, request.getRequestURI()));
    }
}
