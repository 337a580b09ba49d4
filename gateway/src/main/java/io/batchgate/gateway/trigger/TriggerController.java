package io.batchgate.gateway.trigger;

import io.batchgate.gateway.audit.AuditNotes;
import io.batchgate.gateway.audit.ParamsDigest;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.status.RunText;
import io.batchgate.gateway.status.RunView;
import io.batchgate.gateway.wait.RunWaiters;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
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
 * the run as it is when the wait ends.
 */
@RestController
class TriggerController {

    private final TriggerService triggers;
    private final TriggerRateLimiter rateLimiter;
    private final RunWaiters waiters;
    private final TriggerRequestReader reader = new TriggerRequestReader();

    TriggerController(TriggerService triggers, TriggerRateLimiter rateLimiter, RunWaiters waiters) {
        this.triggers = triggers;
        this.rateLimiter = rateLimiter;
        this.waiters = waiters;
    }

    @PostMapping("/api/v1/jobs/{job}/runs")
    DeferredResult<ResponseEntity<Object>> trigger(
            @PathVariable String job,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyHeader,
            @RequestHeader(name = "Execution-Key", required = false) @Nullable String executionHeader,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
            HttpServletRequest request)
            throws IOException {
        Caller caller = Caller.of(request);
        caller.require(Action.TRIGGER, job);
        rateLimiter.take(caller).ifPresent(wait -> {
            throw rateLimited(caller, wait);
        });
        TriggerRequest parsed = reader.read(request);
        String paramsSha256 = triggers.secretNames(job)
                .map(secrets -> ParamsDigest.of(parsed.params(), secrets))
                .orElseGet(() -> ParamsDigest.namesOnly(parsed.params()));
        AuditNotes.params(request, paramsSha256);
        String idempotencyKey = key("Idempotency-Key", idempotencyHeader, parsed.idempotencyKey());
        String executionKey = key("Execution-Key", executionHeader, parsed.executionKey());
        parsed.abandonAfterSeconds().ifPresent(seconds -> {
            long least = waiters.shortestAbandonLease().toSeconds();
            if (seconds < least) {
                throw ApiProblem.badRequest(
                        "malformed-request",
                        "Malformed request",
                        "'abandonAfter' must be at least " + least + " s: waiting callers renew the lease that often");
            }
        });
        if (parsed.dryRun()) {
            AuditNotes.outcome(request, "dry-run");
            return now(ResponseEntity.ok(dryRun(job, parsed)));
        }
        TriggerService.Accepted accepted = triggers.trigger(
                job,
                parsed.params(),
                new TriggerService.TriggerContext(
                        caller.name(),
                        String.valueOf(request.getRemoteAddr()),
                        "POST " + request.getRequestURI(),
                        idempotencyKey,
                        executionKey,
                        parsed.abandonAfterSeconds().isPresent()
                                ? Optional.of(Duration.ofSeconds(
                                        parsed.abandonAfterSeconds().getAsLong()))
                                : Optional.empty()));
        Run run = accepted.run();
        AuditNotes.params(request, TriggerService.paramsDigest(run));
        AuditNotes.job(request, run.job());
        AuditNotes.run(request, run.id().value());
        if (accepted.replayed()) {
            AuditNotes.outcome(request, "replayed");
        } else {
            AuditNotes.written(request);
        }
        if (run.status() == RunStatus.SKIPPED && !accepted.replayed()) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "overlap-forbidden",
                    "Job is already running",
                    "Job '" + run.job() + "' does not allow overlapping runs and run "
                            + accepted.blockedBy().orElseThrow()
                            + " is still active; this trigger was recorded as skipped run " + run.id() + ".",
                    Map.of(
                            "runId",
                            run.id().value(),
                            "activeRunId",
                            accepted.blockedBy().orElseThrow().value()));
        }
        boolean text = RunText.wanted(accept);
        HttpStatus created = accepted.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        if (parsed.waitSeconds().isEmpty()) {
            return now(answer(accepted, text, created));
        }
        return waiters.await(
                run,
                waiters.bounded(parsed.waitSeconds().getAsLong()),
                done -> answer(accepted.with(done), text, HttpStatus.OK),
                current -> answer(accepted.with(current), text, HttpStatus.ACCEPTED));
    }

    private Map<String, Object> dryRun(String job, TriggerRequest parsed) {
        TriggerService.DryRun dryRun = triggers.dryRun(job, parsed.params());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", true);
        body.put("job", dryRun.job());
        body.put("runtime", dryRun.runtime());
        body.put("params", dryRun.params());
        body.put("launch", dryRun.launch().request());
        body.put("warnings", dryRun.warnings());
        return body;
    }

    private static ResponseEntity<Object> answer(TriggerService.Accepted accepted, boolean text, HttpStatus status) {
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
