package io.batchgate.gateway.cancel;

import io.batchgate.gateway.audit.AuditNotes;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.status.RunText;
import io.batchgate.gateway.status.RunView;
import io.batchgate.gateway.web.RunIdPath;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.IllegalRunTransitionException;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/runs/{id}/cancel}, with an optional reason ({@code {"reason": "…"}} or a
 * form field). 200 with the run once it is CANCELLED (also when it already was), 202 while its
 * task is being stopped, 409 for a run that already finished otherwise.
 */
@RestController
class CancelController {

    private static final int MAX_BODY = 4096;
    private static final int MAX_REASON = 500;

    private final RunCanceller canceller;
    private final RunLedger ledger;
    private final JsonMapper json;

    CancelController(RunCanceller canceller, RunLedger ledger, JsonMapper json) {
        this.canceller = canceller;
        this.ledger = ledger;
        this.json = json;
    }

    @Operation(
            operationId = "cancelRun",
            tags = "runs",
            summary = "Cancel a run",
            description = "Stops its task (StopTask, or SIGTERM then SIGKILL locally).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(ref = "#/components/schemas/CancelRequest")),
                                @Content(
                                        mediaType = "application/x-www-form-urlencoded",
                                        schema = @Schema(ref = "#/components/schemas/CancelRequest"))
                            }))
    @ApiResponse(
            responseCode = "200",
            description = "the run, CANCELLED",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = RunView.class)),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string", description = "NAME=value lines"))
            })
    @ApiResponse(
            responseCode = "202",
            description = "the run, STOPPING while its task stops",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = RunView.class)),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string", description = "NAME=value lines"))
            })
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/RunNotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/RunFinished")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/BodyTooLarge")
    @PostMapping("/api/v1/runs/{id}/cancel")
    ResponseEntity<Object> cancel(
            @PathVariable String id,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletRequest request)
            throws IOException {
        RunId runId = RunIdPath.parse(id);
        Caller caller = Caller.of(request);
        String job = ledger.get(runId).job();
        AuditNotes.job(request, job);
        AuditNotes.run(request, runId.value());
        caller.requireForRun(Action.CANCEL, job);
        String reason =
                "by " + caller.name() + reason(request).map(r -> ": " + r).orElse("");
        Run run;
        try {
            run = canceller.cancel(runId, reason, StopCause.CANCEL);
        } catch (IllegalRunTransitionException e) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "run-finished",
                    "Run already finished",
                    "Run " + runId + " already finished as " + e.current() + "; only an unfinished run can be"
                            + " cancelled.",
                    Map.of("runStatus", e.current().name()));
        }
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(run.status() == RunStatus.CANCELLED ? HttpStatus.OK : HttpStatus.ACCEPTED);
        return RunText.wanted(accept)
                ? answer.contentType(RunText.TEXT).body(RunText.of(run))
                : answer.contentType(MediaType.APPLICATION_JSON).body(RunView.of(run));
    }

    private java.util.Optional<String> reason(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new ApiProblem(
                    HttpStatus.CONTENT_TOO_LARGE,
                    "body-too-large",
                    "Request body too large",
                    "A cancel body is at most " + MAX_BODY + " bytes.");
        }
        String text = null;
        if (body.length > 0) {
            MediaType type = request.getContentType() == null
                    ? MediaType.APPLICATION_OCTET_STREAM
                    : MediaType.parseMediaType(request.getContentType());
            String raw = new String(body, StandardCharsets.UTF_8);
            if (MediaType.APPLICATION_JSON.includes(type)) {
                try {
                    JsonNode node = json.readTree(raw);
                    if (!node.isObject()
                            || (node.has("reason") && !node.get("reason").isString())) {
                        throw ApiProblem.badRequest(
                                "malformed-request", "Malformed request", "The body must be {\"reason\": \"…\"}");
                    }
                    text = node.path("reason").asString(null);
                } catch (JacksonException e) {
                    throw ApiProblem.badRequest(
                            "malformed-request", "Malformed request", "The JSON body cannot be parsed");
                }
            } else if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
                for (String pair : raw.split("&")) {
                    if (pair.startsWith("reason=")) {
                        text = java.net.URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
                    }
                }
            } else {
                throw new ApiProblem(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "Send {\"reason\": \"…\"} as application/json, or reason=… as a form.");
            }
        }
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        String cleaned = text.replaceAll("\\p{Cntrl}", " ").strip();
        return java.util.Optional.of(cleaned.length() > MAX_REASON ? cleaned.substring(0, MAX_REASON) : cleaned);
    }
}
