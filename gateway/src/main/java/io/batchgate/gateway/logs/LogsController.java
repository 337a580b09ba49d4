package io.batchgate.gateway.logs;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.web.QueryParameters;
import io.batchgate.gateway.web.RunIdPath;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.LogFollower;
import io.batchgate.runner.logs.LogFollowers;
import io.batchgate.runner.logs.LogsProperties;
import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.run.Run;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A run's log as chunked {@code text/plain}: every attempt (or {@code ?attempt=N}), each marked,
 * optionally only the last {@code ?tail=N} lines; with {@code ?follow=true} the response stays open
 * and new lines are written as they are read, until the run is final and its log drained.
 */
@RestController
@RequestMapping("/api/v1/runs")
class LogsController {

    static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);
    private static final Set<String> PARAMS = new TreeSet<>(List.of("follow", "attempt", "tail"));

    private final RunLedger ledger;
    private final RunLogs logs;
    private final LogFollowers followers;
    private final LogsProperties properties;

    LogsController(RunLedger ledger, RunLogs logs, LogFollowers followers, LogsProperties properties) {
        this.ledger = ledger;
        this.logs = logs;
        this.followers = followers;
        this.properties = properties;
    }

    @Operation(
            operationId = "getRunLog",
            tags = "runs",
            summary = "A run's log",
            description = "Every attempt's output, each marked by batchgate's own '── ' lines, as chunked"
                    + " text. With follow=true the answer stays open and streams new lines until the run"
                    + " ends.",
            parameters = {
                @Parameter(
                        name = "follow",
                        in = ParameterIn.QUERY,
                        description = "stream new lines until the run ends",
                        schema = @Schema(type = "boolean")),
                @Parameter(
                        name = "attempt",
                        in = ParameterIn.QUERY,
                        description = "only this attempt's log",
                        schema = @Schema(type = "integer", minimum = "1")),
                @Parameter(
                        name = "tail",
                        in = ParameterIn.QUERY,
                        description = "only the last N lines",
                        schema = @Schema(type = "integer", minimum = "1"))
            })
    @ApiResponse(
            responseCode = "200",
            description = "the log",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/RunOrAttemptNotFound")
    @GetMapping("/{id}/logs")
    ResponseEntity<StreamingResponseBody> logs(@PathVariable String id, HttpServletRequest http) {
        Request request = request(id, http);
        if (request.follow()) {
            throw new IllegalStateException("follow=true is mapped to follow()");
        }
        StreamingResponseBody body = out -> logs.copy(request.run().id(), request.attempt(), request.tail(), out);
        return headers(request.run()).body(body);
    }

    @Operation(hidden = true) // the same operation as above (OpenAPI has one per path and method)
    @GetMapping(value = "/{id}/logs", params = "follow=true")
    ResponseEntity<ResponseBodyEmitter> follow(@PathVariable String id, HttpServletRequest http) {
        Request request = request(id, http);
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L); // no timeout: it ends with the run
        EmitterFollower follower = new EmitterFollower(emitter);
        emitter.onCompletion(follower::gone);
        emitter.onTimeout(follower::gone);
        emitter.onError(e -> follower.gone());
        followers.follow(request.run().id(), request.attempt(), request.tail(), follower);
        return headers(request.run()).body(emitter);
    }

    private record Request(Run run, boolean follow, OptionalInt attempt, OptionalInt tail) {}

    private Request request(String id, HttpServletRequest http) {
        Map<String, String> query = QueryParameters.of(http, PARAMS);
        boolean follow = follow(query.get("follow"));
        OptionalInt tail = positive(query.get("tail"), "tail", properties.maxTail());
        Run run = ledger.get(RunIdPath.parse(id));
        Caller.of(http).requireForRun(Action.READ, run.job());
        OptionalInt attempt = positive(query.get("attempt"), "attempt", Integer.MAX_VALUE);
        if (attempt.isPresent() && attempt.getAsInt() > run.attempts().size()) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "attempt-not-found",
                    "No such attempt",
                    "Run " + run.id() + " has " + run.attempts().size() + " attempt(s); there is no attempt "
                            + attempt.getAsInt() + " (yet).");
        }
        return new Request(run, follow, attempt, tail);
    }

    private static ResponseEntity.BodyBuilder headers(Run run) {
        return ResponseEntity.ok()
                .contentType(TEXT)
                .header("X-Run-Status", run.status().name())
                .header("X-Log-Complete", String.valueOf(run.logComplete()))
                .header("Cache-Control", "no-store")
                // proxies (nginx) must pass each chunk on at once
                .header("X-Accel-Buffering", "no");
    }

    /** Writes lines to the open response; a follower whose client went away is dropped. */
    private static final class EmitterFollower implements LogFollower {

        private final ResponseBodyEmitter emitter;
        private volatile boolean gone;

        EmitterFollower(ResponseBodyEmitter emitter) {
            this.emitter = emitter;
        }

        void gone() {
            gone = true;
        }

        @Override
        public boolean send(List<String> lines) {
            if (gone) {
                return false;
            }
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(line).append('\n');
            }
            try {
                emitter.send(text.toString(), TEXT);
                return true;
            } catch (IOException | IllegalStateException e) {
                gone = true;
                return false;
            }
        }

        @Override
        public void end() {
            emitter.complete();
        }

        @Override
        public void fail(Exception cause) {
            // the status line is sent already: a cut-off body (no final "run" marker) tells the client
            emitter.completeWithError(cause);
        }
    }

    private static boolean follow(String text) {
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw ApiProblem.badRequest("malformed-request", "Malformed request", "'follow' must be true or false");
    }

    private static OptionalInt positive(String text, String name, int max) {
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return OptionalInt.of(value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(
                "malformed-request",
                "Malformed request",
                "'" + name + "' must be an integer from 1" + (max == Integer.MAX_VALUE ? "" : " to " + max) + ", was '"
                        + abbreviate(text) + "'");
    }

    private static String abbreviate(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
