package io.batchgate.gateway.status;

import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.RunPage;
import io.batchgate.runner.ledger.RunQuery;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** Reading runs: one run's status, history pages. */
@RestController
@RequestMapping("/api/v1/runs")
class RunsController {

    private static final Set<String> LIST_PARAMS = Set.of("job", "status", "limit", "cursor");
    private static final int DEFAULT_LIMIT = 50;

    private final RunLedger ledger;

    RunsController(RunLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/{id}")
    RunView get(@PathVariable String id) {
        return RunView.of(ledger.get(runId(id)));
    }

    @GetMapping
    Map<String, Object> list(@RequestParam Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!LIST_PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        "malformed-request",
                        "Malformed request",
                        "Unknown query parameter '" + abbreviate(name) + "'; allowed: " + LIST_PARAMS);
            }
        }
        Optional<String> job = Optional.ofNullable(query.get("job")).filter(s -> !s.isEmpty());
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
        RunPage page = ledger.page(new RunQuery(job, status, limit, cursor));
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

    private static RunId runId(String text) {
        RunId id = RunId.parseOrNull(text);
        if (id == null) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "run-not-found",
                    "No such run",
                    "'" + abbreviate(text) + "' is not a run id.");
        }
        return id;
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
