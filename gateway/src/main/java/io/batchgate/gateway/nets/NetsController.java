package io.batchgate.gateway.nets;

import io.batchgate.gateway.audit.AuditNotes;
import io.batchgate.gateway.audit.ParamsDigest;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.status.RunText;
import io.batchgate.gateway.trigger.RefusalProblems;
import io.batchgate.gateway.trigger.TriggerRequest;
import io.batchgate.gateway.trigger.TriggerRequestReader;
import io.batchgate.gateway.wait.RunWaiters;
import io.batchgate.gateway.web.QueryParameters;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.net.IllegalNetRunTransitionException;
import io.batchgate.runner.net.NetJudgment;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.net.NetRunId;
import io.batchgate.runner.net.NetRunStatus;
import io.batchgate.runner.net.NetRuns;
import io.batchgate.runner.net.NetStart;
import io.batchgate.runner.run.RunSource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Job nets over HTTP. Scopes match a net's name as they match a job's ({@code trigger:night-*}
 * may start the net night-close); the members' runs are requested by the same caller.
 *
 * <ul>
 *   <li>{@code POST /api/v1/nets/{net}/runs}: starts a net run (params as for a job trigger,
 *       optional {@code Idempotency-Key}); 202 + Location while it runs, 200 for a replay or a run
 *       that ended at once (SKIPPED by overlap forbid).
 *   <li>{@code GET /api/v1/net-runs/{id}}: the net run with its members, their runs and the timeline;
 *       {@code ?wait=SECONDS} waits for its end as a job run's status read does.
 *   <li>{@code GET /api/v1/net-runs?net=&limit=}: the newest net runs.
 *   <li>{@code POST /api/v1/net-runs/{id}/cancel}: cancels the active members; 202 until they ended.
 *   <li>{@code POST /api/v1/net-runs/{id}/rerun}: rerun from failure.
 * </ul>
 */
@RestController
class NetsController {

    private static final int MAX_LIST = 100;

    private final NetRuns netRuns;
    private final RunLedger ledger;
    private final RunWaiters waiters;
    private final TriggerRequestReader reader = new TriggerRequestReader();

    NetsController(NetRuns netRuns, RunLedger ledger, RunWaiters waiters) {
        this.netRuns = netRuns;
        this.ledger = ledger;
        this.waiters = waiters;
    }

    @PostMapping("/api/v1/nets/{net}/runs")
    ResponseEntity<Object> start(
            @PathVariable String net,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyHeader,
            @RequestHeader(name = "Trigger-Source", required = false) @Nullable String sourceHeader,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
            HttpServletRequest request)
            throws IOException {
        Caller caller = Caller.of(request);
        caller.require(Action.TRIGGER, net);
        TriggerRequest parsed = reader.read(request);
        if (parsed.dryRun()
                || parsed.executionKey() != null
                || parsed.abandonAfterSeconds().isPresent()) {
            throw ApiProblem.badRequest(
                    "malformed-request",
                    "Malformed request",
                    "A net run takes params and an Idempotency-Key; dryRun, executionKey and abandonAfter are for"
                            + " job triggers");
        }
        AuditNotes.params(request, ParamsDigest.of(parsed.params(), java.util.Set.of()));
        String key = idempotencyHeader != null ? idempotencyHeader : parsed.idempotencyKey();
        if (key != null && !key.matches("[\\x21-\\x7E]{1,255}")) {
            throw ApiProblem.badRequest(
                    "malformed-request",
                    "Malformed request",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces");
        }
        RunSource source = "jobctl".equals(sourceHeader) ? RunSource.jobctl() : RunSource.api();
        NetStart started = netRuns.start(net, parsed.params(), new NetRuns.Requester(caller.name(), source), key);
        if (started instanceof NetStart.Refused refused) {
            throw problem(refused.reason());
        }
        NetStart.Started accepted = (NetStart.Started) started;
        NetRun run = accepted.run();
        AuditNotes.run(request, run.id().value());
        AuditNotes.outcome(request, accepted.replayed() ? "replayed" : "accepted");
        HttpStatus status =
                accepted.replayed() || run.status() == NetRunStatus.ENDED ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return answer(ResponseEntity.status(status).location(URI.create("/api/v1/net-runs/" + run.id())), run, accept);
    }

    /**
     * A net run. With {@code ?wait=SECONDS} the answer waits (at most {@code batchgate.wait.max},
     * parked like a job run's waiter) until the net run ended: 200 once it has, 202 with the net run
     * as it is when the wait ends.
     */
    @Operation(
            summary = "A net run",
            parameters = {
                @Parameter(
                        name = "wait",
                        in = ParameterIn.QUERY,
                        description = "seconds to wait until the net run ended (cut to batchgate.wait.max, 25 s)",
                        schema = @Schema(type = "integer", minimum = "0", maximum = "3600"))
            })
    @ApiResponse(responseCode = "200", description = "the net run (ended, when ?wait= was given)")
    @ApiResponse(responseCode = "202", description = "?wait= ended before the net run did: the net run as it is now")
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NetRunNotFound")
    @GetMapping("/api/v1/net-runs/{id}")
    DeferredResult<ResponseEntity<Object>> get(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
            HttpServletRequest request) {
        Map<String, String> query = QueryParameters.of(request, Set.of("wait"));
        NetRun run = netRuns.get(parse(id));
        Caller.of(request).requireForRun(Action.READ, run.net());
        if (!query.containsKey("wait")) {
            DeferredResult<ResponseEntity<Object>> now = new DeferredResult<>();
            now.setResult(answer(ResponseEntity.ok(), run, accept));
            return now;
        }
        return waiters.await(
                run,
                waiters.bounded(query.get("wait")),
                ended -> answer(ResponseEntity.ok(), ended, accept),
                current -> answer(
                        ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, "1"),
                        current,
                        accept));
    }

    private ResponseEntity<Object> answer(ResponseEntity.BodyBuilder builder, NetRun run, @Nullable String accept) {
        NetRunView view = NetRunView.of(run, ledger);
        return RunText.wanted(accept)
                ? builder.contentType(RunText.TEXT).body(NetRunText.of(view))
                : builder.contentType(MediaType.APPLICATION_JSON).body(view);
    }

    @GetMapping("/api/v1/net-runs")
    Map<String, Object> list(
            @RequestParam(name = "net", required = false) @Nullable String net,
            @RequestParam(name = "limit", defaultValue = "20") int limit,
            HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (limit < 1 || limit > MAX_LIST) {
            throw ApiProblem.badRequest(
                    "malformed-request", "Malformed request", "limit must be from 1 to " + MAX_LIST);
        }
        List<NetRunView> runs = netRuns.newest(net, limit).stream()
                .filter(run -> caller.scopes().allows(Action.READ, run.net()))
                .map(run -> NetRunView.of(run, ledger))
                .toList();
        return Map.of("netRuns", runs);
    }

    @PostMapping("/api/v1/net-runs/{id}/cancel")
    ResponseEntity<Object> cancel(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
            HttpServletRequest request) {
        NetRun before = controlled(Action.CANCEL, id, request);
        NetRunId netRunId = before.id();
        Caller caller = Caller.of(request);
        if (before.status() == NetRunStatus.ENDED && before.judgment().orElseThrow() != NetJudgment.CANCELLED) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "net-run-finished",
                    "Net run already ended",
                    "Net run " + netRunId + " already ended "
                            + before.judgment().orElseThrow() + "; only an active net run can be cancelled.",
                    Map.of("judgment", before.judgment().orElseThrow().name()));
        }
        NetRun run = netRuns.cancel(netRunId, "by " + caller.name());
        return answer(
                ResponseEntity.status(run.status() == NetRunStatus.ENDED ? HttpStatus.OK : HttpStatus.ACCEPTED),
                run,
                accept);
    }

    @PostMapping("/api/v1/net-runs/{id}/rerun")
    ResponseEntity<Object> rerun(
            @PathVariable String id,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
            HttpServletRequest request) {
        NetRun before = controlled(Action.TRIGGER, id, request);
        NetRunId netRunId = before.id();
        NetRun run;
        try {
            run = netRuns.rerun(netRunId);
        } catch (IllegalNetRunTransitionException e) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "net-run-not-rerunnable",
                    "Net run cannot be rerun",
                    e.getMessage(),
                    Map.of("netRunStatus", before.status().name()));
        }
        return answer(
                ResponseEntity.status(run.status() == NetRunStatus.ENDED ? HttpStatus.OK : HttpStatus.ACCEPTED),
                run,
                accept);
    }

    /**
     * The net run a control action (cancel, rerun) of the caller is about: 404 if there is none (or
     * the id is malformed), 403 if its net is outside the caller's scopes — without naming the net.
     * The net and the net run are noted for the audit record first, so a refused action is recorded
     * with them.
     */
    private NetRun controlled(Action action, String id, HttpServletRequest request) {
        NetRun run = netRuns.get(parse(id));
        AuditNotes.job(request, run.net());
        AuditNotes.run(request, run.id().value());
        Caller.of(request).requireForRun(action, run.net());
        return run;
    }

    private static NetRunId parse(String id) {
        NetRunId parsed = NetRunId.parseOrNull(id);
        if (parsed == null) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND, "net-run-not-found", "No such net run", "There is no net run with that id.");
        }
        return parsed;
    }

    private static ApiProblem problem(NetStart.Reason reason) {
        if (reason instanceof NetStart.UnknownNet unknown) {
            return new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "net-not-found",
                    "No such net",
                    "The catalog has no net '" + printable(unknown.net()) + "'.");
        }
        if (reason instanceof NetStart.InvalidParams invalid) {
            return RefusalProblems.invalidParams(invalid.violations());
        }
        NetStart.KeyReused reused = (NetStart.KeyReused) reason;
        return new ApiProblem(
                HttpStatus.CONFLICT,
                "idempotency-key-reused",
                "Idempotency key reused",
                "The Idempotency-Key was already used for net run " + reused.run() + " with different parameters.",
                Map.of("netRunId", reused.run().value()));
    }

    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7E]", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
    }
}
