package io.batchgate.gateway.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds RFC 9457 problem details the same way for controllers, filters and the servlet
 * container's own errors. Never includes a stack trace, SQL or an exception's class.
 */
public class ProblemWriter {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    /** The request attribute naming the type of the problem answered, for the audit trail. */
    public static final String TYPE_ATTRIBUTE = ProblemWriter.class.getName() + ".type";

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    /** RFC 9457's own members: an extension member must not use one of these names. */
    public static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "instance");

    /**
     * The problem document for these parts. Every problem batchgate answers is built here, so this
     * is where a clashing extension is refused: a document with two "status" members is not valid
     * JSON for most parsers (they keep the last one), so an extension must have its own name.
     *
     * @throws IllegalArgumentException for an extension named like a standard member
     */
    public static ProblemDetail detail(
            HttpStatusCode status,
            String type,
            String title,
            String detail,
            Map<String, Object> properties,
            String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + type));
        problem.setTitle(title);
        if (path != null && !path.isEmpty()) {
            problem.setInstance(safeUri(path));
        }
        for (String name : properties.keySet()) {
            if (STANDARD_MEMBERS.contains(name)) {
                throw new IllegalArgumentException("problem '" + type + "': the extension member '" + name
                        + "' clashes with RFC 9457's standard members " + STANDARD_MEMBERS
                        + "; give it its own name (e.g. 'run" + Character.toUpperCase(name.charAt(0))
                        + name.substring(1) + "')");
            }
        }
        properties.forEach(problem::setProperty);
        return problem;
    }

    /** Writes a problem straight to a servlet response (for filters, which run outside Spring MVC). */
    public void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String type,
            String title,
            String detail)
            throws IOException {
        ProblemDetail problem = detail(status, type, title, detail, Map.of(), request.getRequestURI());
        request.setAttribute(TYPE_ATTRIBUTE, type);
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(problem));
        response.getOutputStream().write('\n');
    }

    private static URI safeUri(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return URI.create("about:blank");
        }
    }
}
