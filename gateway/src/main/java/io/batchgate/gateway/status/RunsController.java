package io.batchgate.gateway.status;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.wait.RunWaiters;
import io.batchgate.gateway.web.QueryParameters;
import io.batchgate.gateway.web.RunIdPath;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.RunPage;
import io.batchgate.runner.ledger.RunQuery;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.util.UriComponentsBuilder;

/** Reading runs: one run's status, history pages (of all readable jobs, or of one job). */
@RestController
class RunsController {

    private static final Set<String> LIST_PARAMS = Set.of("job", "status", "limit", "cursor");
    private static final int DEFAULT_LIMIT = 50;

    private final RunLedger ledger;
    private final RunWaiters waiters;

    RunsController(RunLedger ledger, RunWaiters waiters) {
        this.ledger = ledger;
        this.waiters = waiters;
    }

    /**
     * A run's status. With {@code ?wait=SECONDS} the answer waits (at most {@code batchgate.wait.max})
     * until the run is final: 200 once it is, 202 with the run as it is when the wait ends. Every
     * read renews the run's cancel-on-abandon lease.
     */
    @Operation(
            operationId = "getRun",
            tags = "runs",
            summary = "A run's status",
            parameters = {
                @Parameter(
                        name = "wait",
                        in = ParameterIn.QUERY,
                        description = "seconds to wait until the run is final (cut to batchgate.wait.max, 25 s)",
                        schema = @Schema(type = "integer", minimum = "0", maximum = "3600"))
            })
    @ApiResponse(
            responseCode = "200",
            description = "the run (final, when ?wait= was given)",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = RunView.class)),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string", description = "NAME=value lines"))
            })
    @ApiResponse(
            responseCode = "202",
            description = "?wait= ended before the run did: the run as it is now",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = RunView.class)),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string", description = "NAME=value lines"))
            })
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/RunNotFound")
    @GetMapping("/api/v1/runs/{id}")
    DeferredResult<ResponseEntity<Object>> get(
            @PathVariable String id,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletRequest request) {
        Map<String, String> query = QueryParameters.of(request, Set.of("wait"));
        Run run = ledger.get(RunIdPath.parse(id));
        Caller.of(request).requireForRun(Action.READ, run.job());
        boolean text = RunText.wanted(accept);
        if (!query.containsKey("wait")) {
            waiters.seen(run.id());
            DeferredResult<ResponseEntity<Object>> now = new DeferredResult<>();
            now.setResult(answer(run, text, HttpStatus.OK));
            return now;
        }
        return waiters.await(
                run,
                waiters.bounded(query.get("wait")),
                done -> answer(done, text, HttpStatus.OK),
                current -> answer(current, text, HttpStatus.ACCEPTED));
    }

    /** The run as JSON or as text lines, with the given status. */
    public static ResponseEntity<Object> answer(Run run, boolean text, HttpStatus status) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
                .header("X-Run-Status", run.status().name())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (status == HttpStatus.ACCEPTED) {
            builder.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return text
                ? builder.contentType(RunText.TEXT).body(RunText.of(run))
                : builder.contentType(MediaType.APPLICATION_JSON).body(RunView.of(run));
    }

    @Operation(
            operationId = "listRuns",
            tags = "runs",
            summary = "Runs, newest first",
            description = "Only runs of jobs the caller may read; `next` is the next page's URL.",
            parameters = {
                @Parameter(
                        name = "job",
                        in = ParameterIn.QUERY,
                        description = "only this job's runs",
                        schema = @Schema(type = "string")),
                @Parameter(ref = "#/components/parameters/RunStatusFilter"),
                @Parameter(ref = "#/components/parameters/RunPageLimit"),
                @Parameter(ref = "#/components/parameters/Cursor")
            })
    @ApiResponse(
            responseCode = "200",
            description = "a page of runs",
            content = @Content(schema = @Schema(ref = "#/components/schemas/RunPage")))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @GetMapping("/api/v1/runs")
    Map<String, Object> list(HttpServletRequest request) {
        Map<String, String> query = QueryParameters.of(request, LIST_PARAMS);
        return list(request, query, Optional.ofNullable(query.get("job")).filter(s -> !s.isEmpty()));
    }

    /**
     * A job's runs, newest first: the job's {@code links.runs}, where a POST triggers it. The same
     * page as {@code /api/v1/runs?job=}.
     */
    @Operation(
            operationId = "listJobRuns",
            tags = "runs",
            summary = "A job's runs, newest first",
            description = "The same page as /api/v1/runs?job=.",
            parameters = {
                @Parameter(ref = "#/components/parameters/RunStatusFilter"),
                @Parameter(ref = "#/components/parameters/RunPageLimit"),
                @Parameter(ref = "#/components/parameters/Cursor")
            })
    @ApiResponse(
            responseCode = "200",
            description = "a page of runs",
            content = @Content(schema = @Schema(ref = "#/components/schemas/RunPage")))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @GetMapping("/api/v1/jobs/{job}/runs")
    Map<String, Object> listOfJob(@PathVariable String job, HttpServletRequest request) {
        Map<String, String> query = QueryParameters.of(request, Set.of("status", "limit", "cursor"));
        return list(request, query, Optional.of(job));
    }

    private Map<String, Object> list(HttpServletRequest request, Map<String, String> query, Optional<String> job) {
        Caller caller = Caller.of(request);
        job.ifPresent(name -> caller.require(Action.READ, name));
        List<String> readable = caller.scopes().readableGlobs().orElse(List.of());
        if (job.isEmpty() && caller.scopes().readableGlobs().isPresent() && readable.isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.FORBIDDEN,
                    "forbidden",
                    "Not allowed",
                    "Caller '" + caller.name() + "' may not read any job's runs.");
        }
        Optional<RunStatus> status = Optional.ofNullable(query.get("status"))
                .filter(s -> !s.isEmpty())
                .map(RunsController::status);
        int limit = limit(query.get("limit"));
        Optional<RunId> cursor = Optional.ofNullable(query.get("cursor"))
                .filter(s -> !s.isEmpty())
                .map(text -> Optional.ofNullable(RunId.parseOrNull(text))
                        .orElseThrow(() -> ApiProblem.badRequest(
                                "malformed-request",
                                "Malformed request",
                                "'cursor' is not a cursor" + " from a previous page")));
        RunPage page = ledger.page(new RunQuery(job, status, job.isPresent() ? List.of() : readable, limit, cursor));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", page.runs().stream().map(RunView::summary).toList());
        page.nextCursor().ifPresent(next -> {
            UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/api/v1/runs");
            job.ifPresent(j -> uri.queryParam("job", j));
            status.ifPresent(s -> uri.queryParam("status", s.name()));
            uri.queryParam("limit", limit).queryParam("cursor", next.value());
            body.put("next", uri.encode().build().toUriString());
        });
        return body;
    }

    private static RunStatus status(String text) {
        try {
            return RunStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "malformed-request", "Malformed request", "'status' must be one of " + List.of(RunStatus.values()));
        }
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= RunQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(
                "malformed-request", "Malformed request", "'limit' must be an integer from 1 to " + RunQuery.MAX_LIMIT);
    }

    private static String abbreviate(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }

    static List<String> statuses() {
        return Arrays.stream(RunStatus.values()).map(Enum::name).toList();
    }
}
