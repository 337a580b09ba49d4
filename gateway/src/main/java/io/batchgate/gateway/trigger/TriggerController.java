package io.batchgate.gateway.trigger;

import io.batchgate.gateway.auth.BearerTokenFilter;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.status.RunView;
import io.batchgate.runner.run.Run;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/jobs/{job}/runs}: 202 with the run's location once it is stored; 200 with
 * the existing run when an Idempotency-Key replays an earlier trigger.
 */
@RestController
class TriggerController {

    private final TriggerService triggers;
    private final TriggerRequestReader reader = new TriggerRequestReader();

    TriggerController(TriggerService triggers) {
        this.triggers = triggers;
    }

    @PostMapping("/api/v1/jobs/{job}/runs")
    ResponseEntity<Map<String, Object>> trigger(
            @PathVariable String job,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String header,
            HttpServletRequest request)
            throws IOException {
        TriggerRequest parsed = reader.read(request);
        String idempotencyKey = idempotencyKey(header, parsed.idempotencyKey());
        if (parsed.dryRun()) {
            TriggerService.DryRun dryRun = triggers.dryRun(job, parsed.params());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("dryRun", true);
            body.put("job", dryRun.job());
            body.put("runtime", dryRun.runtime());
            body.put("params", dryRun.params());
            body.put("launch", dryRun.launch().request());
            return ResponseEntity.ok(body);
        }
        String caller = (String) request.getAttribute(BearerTokenFilter.CALLER);
        TriggerService.Accepted accepted = triggers.trigger(job, parsed.params(), caller, idempotencyKey);
        Run run = accepted.run();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", run.id().value());
        body.put("job", run.job());
        body.put("status", run.status().name());
        body.put("links", RunView.links(run));
        HttpStatus status = accepted.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status)
                .location(URI.create(RunView.links(run).get("self")))
                .body(body);
    }

    /** The header or the JSON field; both may be given only if they agree. */
    private static @Nullable String idempotencyKey(@Nullable String header, @Nullable String field) {
        if (header != null && field != null && !header.equals(field)) {
            throw ApiProblem.badRequest(
                    "malformed-request",
                    "Malformed request",
                    "The Idempotency-Key header and the JSON field idempotencyKey differ");
        }
        String key = header != null ? header : field;
        if (key != null && !key.matches("[\\x21-\\x7E]{1,255}")) {
            throw ApiProblem.badRequest(
                    "malformed-request",
                    "Malformed request",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces");
        }
        return key;
    }
}
