package io.batchgate.gateway.audit;

import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.web.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code GET /api/v1/audit}: the audit trail for admins, newest first, paged by a cursor. */
@RestController
class AuditController {

    private static final Set<String> PARAMS = Set.of("caller", "job", "runId", "limit", "cursor");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @Operation(
            operationId = "listAudit",
            tags = "audit",
            summary = "The audit trail, newest first (admins only)",
            parameters = {
                @Parameter(
                        name = "caller",
                        in = ParameterIn.QUERY,
                        description = "only this caller's calls",
                        schema = @Schema(type = "string")),
                @Parameter(
                        name = "job",
                        in = ParameterIn.QUERY,
                        description = "only calls on this job",
                        schema = @Schema(type = "string")),
                @Parameter(
                        name = "runId",
                        in = ParameterIn.QUERY,
                        description = "only calls on this run",
                        schema = @Schema(type = "string")),
                @Parameter(
                        name = "limit",
                        in = ParameterIn.QUERY,
                        description = "page size",
                        schema = @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "100")),
                @Parameter(ref = "#/components/parameters/Cursor")
            })
    @ApiResponse(
            responseCode = "200",
            description = "a page of audit records",
            content = @Content(schema = @Schema(ref = "#/components/schemas/AuditPage")))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @GetMapping("/api/v1/audit")
    Map<String, Object> page(HttpServletRequest request) {
        Caller.of(request).requireAdmin();
        Map<String, String> query = QueryParameters.of(request, PARAMS);
        Optional<String> caller = present(query.get("caller"));
        Optional<String> job = present(query.get("job"));
        Optional<String> runId = present(query.get("runId"));
        int limit = number(query.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, "limit");
        Optional<Long> cursor = present(query.get("cursor")).map(AuditController::cursor);
        List<AuditRecord> records = trail.page(caller, job, runId, cursor, limit + 1);
        boolean more = records.size() > limit;
        List<AuditRecord> page = more ? records.subList(0, limit) : records;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", page);
        if (more) {
            UriComponentsBuilder next = UriComponentsBuilder.fromPath("/api/v1/audit");
            caller.ifPresent(value -> next.queryParam("caller", value));
            job.ifPresent(value -> next.queryParam("job", value));
            runId.ifPresent(value -> next.queryParam("runId", value));
            next.queryParam("limit", limit)
                    .queryParam("cursor", page.get(page.size() - 1).id());
            body.put("next", next.encode().build().toUriString());
        }
        return body;
    }

    private static long cursor(String text) {
        if (text.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(text);
        }
        throw malformed("'cursor' must be the id of a record from a previous page");
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).filter(text -> !text.isEmpty());
    }

    private static int number(String text, int fallback, int min, int max, String name) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw malformed("'" + name + "' must be an integer from " + min + " to " + max);
    }

    private static ApiProblem malformed(String detail) {
        return ApiProblem.badRequest("malformed-request", "Malformed request", detail);
    }
}
