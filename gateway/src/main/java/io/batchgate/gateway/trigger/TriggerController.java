package io.batchgate.gateway.trigger;

import io.batchgate.gateway.audit.AuditNotes;
import io.batchgate.gateway.audit.ParamsDigest;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.status.RunText;
import io.batchgate.gateway.status.RunView;
import io.batchgate.gateway.wait.RunWaiters;
import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.admission.Admitted;
import io.batchgate.runner.admission.DryRun;
import io.batchgate.runner.admission.Previewed;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.ParameterStyle;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /api/v1/jobs/{job}/runs}: 202 with the run's location once it is stored; 200 with
 * the existing run when an Idempotency-Key or Execution-Key replays an earlier trigger. With
 * {@code ?wait=SECONDS} the answer waits for the run to end: 200 with the final run, or 202 with
 * the run as it is when the wait ends. Admission decides; this maps the request to an {@code
 * AdmissionRequest} and each outcome to its answer or problem.
 */
@RestController
class TriggerController {

    private static final Logger log = LoggerFactory.getLogger(TriggerController.class);

    /** Tells the run's source: {@code jobctl} sends it; any other client is {@code api}. */
    static final String SOURCE_HEADER = "Trigger-Source";

    private final Admission admission;
    private final TriggerRateLimiter rateLimiter;
    private final RunWaiters waiters;
    private final TriggerRequestReader reader = new TriggerRequestReader();

    TriggerController(Admission admission, TriggerRateLimiter rateLimiter, RunWaiters waiters) {
        this.admission = admission;
        this.rateLimiter = rateLimiter;
        this.waiters = waiters;
    }

    @Operation(
            operationId = "triggerRun",
            tags = "runs",
            summary = "Trigger a run of a job",
            description = "202 + Location once the run and its queue message are stored; 200 when a key"
                    + " replays an existing run, or with ?wait= once the run is final. Parameters as JSON"
                    + " {\"params\":{...}}, as form fields or as query parameters (NAME=value).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(ref = "#/components/schemas/TriggerRequest")),
                                @Content(
                                        mediaType = "application/x-www-form-urlencoded",
                                        schema = @Schema(type = "object", additionalPropertiesSchema = String.class))
                            }),
            parameters = {
                @Parameter(
                        name = "params",
                        in = ParameterIn.QUERY,
                        description = "the job's parameters as NAME=value query parameters",
                        style = ParameterStyle.FORM,
                        explode = Explode.TRUE,
                        schema = @Schema(type = "object", additionalPropertiesSchema = String.class)),
                @Parameter(
                        name = "wait",
                        in = ParameterIn.QUERY,
                        description = "seconds to wait for the run to end (cut to batchgate.wait.max, 25 s)",
                        schema = @Schema(type = "integer", minimum = "0", maximum = "3600")),
                @Parameter(
                        name = "dryRun",
                        in = ParameterIn.QUERY,
                        description = "answer with what would be launched (secrets masked); store nothing",
                        schema = @Schema(type = "boolean")),
                @Parameter(
                        name = "abandonAfter",
                        in = ParameterIn.QUERY,
                        description = "cancel the run when nobody reads its status for this many seconds"
                                + " (at least 3 x batchgate.wait.lease-renewal)",
                        schema = @Schema(type = "integer", maximum = "86400"))
            })
    @ApiResponse(
            responseCode = "200",
            description = "an existing run (replayed), the final run after ?wait=, or a dry run",
            headers =
                    @Header(name = "X-Run-Status", description = "the run's status", schema = @Schema(type = "string")),
            content = {
                @Content(
                        mediaType = "application/json",
                        schema = @Schema(ref = "#/components/schemas/TriggerOrDryRunAnswer")),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string", description = "NAME=value lines"))
            })
    @ApiResponse(
            responseCode = "202",
            description = "stored (or still running when ?wait= ended); Location is the run",
            headers = {
                @Header(name = "Location", description = "the run's status URL", schema = @Schema(type = "string")),
                @Header(name = "X-Run-Status", description = "the run's status", schema = @Schema(type = "string"))
            },
            content = {
                @Content(mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/TriggerAnswer")),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string", description = "NAME=value lines"))
            })
    @ApiResponse(responseCode = "400", ref = "#/components/responses/TriggerBadRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/UnknownJob")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/TriggerConflict")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/BodyTooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    @PostMapping("/api/v1/jobs/{job}/runs")
    DeferredResult<ResponseEntity<Object>> trigger(
            @PathVariable String job,
            @Parameter(
                            description = "the same key (per caller and job) with the same parameters answers"
                                    + " the existing run; 1-255 printable ASCII characters")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    @Nullable
                    String idempotencyHeader,
            @Parameter(
                            description = "a scheduler's execution: the existing run while it is active or"
                                    + " SUCCEEDED, a new run after it ended otherwise")
                    @RequestHeader(name = "Execution-Key", required = false)
                    @Nullable
                    String executionHeader,
            @Parameter(
                            description = "'jobctl' records the run's source as jobctl",
                            schema = @Schema(allowableValues = {"api", "jobctl"}))
                    @RequestHeader(name = SOURCE_HEADER, required = false)
                    @Nullable
                    String sourceHeader,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable
                    String accept,
            HttpServletRequest request)
            throws IOException {
        // every line logged while this request works on the run names it (job now, run id once stored)
        try (var context = RunLogContext.forJob(job)) {
            Caller caller = Caller.of(request);
            caller.require(Action.TRIGGER, job);
            rateLimiter.take(caller).ifPresent(wait -> {
                throw rateLimited(caller, wait);
            });
            TriggerRequest parsed = reader.read(request);
            String paramsSha256 = admission
                    .secretNames(job)
                    .map(secrets -> ParamsDigest.of(parsed.params(), secrets))
                    .orElseGet(() -> ParamsDigest.namesOnly(parsed.params()));
            AuditNotes.params(request, paramsSha256);
            String idempotencyKey = key("Idempotency-Key", idempotencyHeader, parsed.idempotencyKey());
            String executionKey = key("Execution-Key", executionHeader, parsed.executionKey());
            RunSource source = source(sourceHeader);
            parsed.abandonAfterSeconds().ifPresent(seconds -> {
                long least = waiters.shortestAbandonLease().toSeconds();
                if (seconds < least) {
                    throw ApiProblem.badRequest(
                            "malformed-request",
                            "Malformed request",
                            "'abandonAfter' must be at least " + least
                                    + " s: waiting callers renew the lease that often");
                }
            });
            if (parsed.dryRun()) {
                Previewed preview = admission.dryRun(job, parsed.params());
                if (preview instanceof Admitted.Refused refused) {
                    throw RefusalProblems.of(refused.reason());
                }
                AuditNotes.outcome(request, "dry-run");
                return now(ResponseEntity.ok(dryRun((DryRun) preview)));
            }
            Admitted admitted = admission.accept(new AdmissionRequest(
                    job,
                    parsed.params(),
                    new AdmissionRequest.Requester(
                            caller.name(),
                            source,
                            String.valueOf(request.getRemoteAddr()),
                            "POST " + request.getRequestURI()),
                    idempotencyKey,
                    executionKey,
                    parsed.abandonAfterSeconds().isPresent()
                            ? Optional.of(Duration.ofSeconds(
                                    parsed.abandonAfterSeconds().getAsLong()))
                            : Optional.empty()));
            Answer answer;
            if (admitted instanceof Admitted.Refused refused) {
                throw RefusalProblems.of(refused.reason());
            } else if (admitted instanceof Admitted.Replayed replayed) {
                answer = new Answer(replayed.run(), true, Optional.empty());
            } else {
                Admitted.Accepted accepted = (Admitted.Accepted) admitted;
                answer = new Answer(accepted.run(), false, accepted.rerunOf());
            }
            Run run = answer.run();
            context.with(run);
            log.debug(
                    "run {} {} by {} ({})",
                    run.id(),
                    answer.replayed() ? "replayed" : "accepted",
                    caller.name(),
                    source);
            AuditNotes.params(request, TriggerAudit.paramsDigest(run));
            AuditNotes.job(request, run.job());
            AuditNotes.run(request, run.id().value());
            if (answer.replayed()) {
                AuditNotes.outcome(request, "replayed");
            } else {
                AuditNotes.written(request);
            }
            if (admitted instanceof Admitted.Accepted accepted && accepted.skipped()) {
                RunId blockedBy = accepted.blockedBy().orElseThrow();
                throw new ApiProblem(
                        HttpStatus.CONFLICT,
                        "overlap-forbidden",
                        "Job is already running",
                        "Job '" + run.job() + "' does not allow overlapping runs and run "
                                + blockedBy
                                + " is still active; this trigger was recorded as skipped run " + run.id() + ".",
                        Map.of("runId", run.id().value(), "activeRunId", blockedBy.value()));
            }
            boolean text = RunText.wanted(accept);
            HttpStatus created = answer.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED;
            if (parsed.waitSeconds().isEmpty()) {
                return now(answer(answer, text, created));
            }
            return waiters.await(
                    run,
                    waiters.bounded(parsed.waitSeconds().getAsLong()),
                    done -> answer(answer.with(done), text, HttpStatus.OK),
                    current -> answer(answer.with(current), text, HttpStatus.ACCEPTED));
        }
    }

    /** The run to answer with, whether it was replayed, and the run it re-runs. */
    private record Answer(Run run, boolean replayed, Optional<RunId> rerunOf) {

        Answer with(Run now) {
            return new Answer(now, replayed, rerunOf);
        }
    }

    /** Over HTTP a run's source is the API, or jobctl when it says so; the others are not for clients. */
    private static RunSource source(@Nullable String header) {
        if (header == null || header.equals("api")) {
            return RunSource.api();
        }
        if (header.equals("jobctl")) {
            return RunSource.jobctl();
        }
        throw ApiProblem.badRequest(
                "malformed-request", "Malformed request", "The " + SOURCE_HEADER + " header must be 'api' or 'jobctl'");
    }

    private static Map<String, Object> dryRun(DryRun dryRun) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", true);
        body.put("job", dryRun.job());
        body.put("runtime", dryRun.runtime());
        body.put("params", dryRun.params());
        body.put("launch", dryRun.launch());
        body.put("warnings", dryRun.warnings());
        return body;
    }

    private static ResponseEntity<Object> answer(Answer accepted, boolean text, HttpStatus status) {
        Run run = accepted.run();
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
                .location(URI.create(RunView.links(run).get("self")))
                .header("X-Run-Status", run.status().name());
        if (text) {
            return builder.contentType(RunText.TEXT).body(RunText.of(run));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", run.id().value());
        body.put("job", run.job());
        body.put("status", run.status().name());
        body.put("replayed", accepted.replayed());
        accepted.rerunOf().ifPresent(previous -> body.put("rerunOf", previous.value()));
        if (run.status().isFinal()) {
            body.put("exitCode", run.exitCode());
            body.put("warning", run.warning());
            body.put("reason", run.reason());
        }
        body.put("links", RunView.links(run));
        return builder.contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static DeferredResult<ResponseEntity<Object>> now(ResponseEntity<Object> answer) {
        DeferredResult<ResponseEntity<Object>> result = new DeferredResult<>();
        result.setResult(answer);
        return result;
    }

    private static ApiProblem rateLimited(Caller caller, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new ApiProblem(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many triggers",
                "Caller '" + caller.name() + "' is over its trigger rate; try again in " + seconds + " s.",
                Map.of("retryAfterSeconds", seconds));
    }

    /** The header or the JSON field; both may be given only if they agree. */
    private static @Nullable String key(String name, @Nullable String header, @Nullable String field) {
        if (header != null && field != null && !header.equals(field)) {
            throw ApiProblem.badRequest(
                    "malformed-request", "Malformed request", "The " + name + " header and the JSON field differ");
        }
        String key = header != null ? header : field;
        if (key != null && !key.matches("[\\x21-\\x7E]{1,255}")) {
            throw ApiProblem.badRequest(
                    "malformed-request",
                    "Malformed request",
                    name + " must be 1 to 255 printable ASCII characters without spaces");
        }
        return key;
    }
}
