package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Bulk actions on runs selected in the list: cancel them, or run them again with their own
 * parameters. First a confirmation that names how many and which, then each run is handled on its
 * own (checked, admitted or cancelled, audited) and the page says what became of each.
 */
@Controller
class BulkActions {

    static final int MAX_RUNS = 100;

    private final ConsoleRuns runs;
    private final RunLedger ledger;
    private final ConsoleActions actions;

    BulkActions(ConsoleRuns runs, RunLedger ledger, ConsoleActions actions) {
        this.runs = runs;
        this.ledger = ledger;
        this.actions = actions;
    }

    @PostMapping("/ui/bulk")
    String confirm(
            @RequestParam(defaultValue = "") String action,
            @RequestParam(name = "run", required = false) @Nullable List<String> selected,
            HttpServletRequest request,
            Model model) {
        List<String> ids = ids(selected);
        Caller caller = Caller.of(request);
        List<ConsoleRuns.RunRow> rows = runs.rows(ids).stream()
                .filter(row -> caller.scopes().allows(Action.READ, row.job()))
                .toList();
        if (rows.isEmpty()) {
            throw ApiProblem.badRequest("malformed-request", "No runs selected", "None of the selected runs exists.");
        }
        model.addAttribute("action", verb(action));
        model.addAttribute("runs", rows);
        model.addAttribute("submission", UUID.randomUUID().toString());
        return "console/bulk";
    }

    @PostMapping("/ui/bulk/confirm")
    String apply(
            @RequestParam(defaultValue = "") String action,
            @RequestParam(name = "run", required = false) @Nullable List<String> selected,
            @RequestParam(required = false) @Nullable String submission,
            HttpServletRequest request,
            Model model) {
        String verb = verb(action);
        Caller caller = Caller.of(request);
        String key = JobPages.submission(submission);
        List<Result> results = new ArrayList<>();
        for (String id : ids(selected)) {
            results.add(one(verb, new RunId(id), caller, key, request));
        }
        model.addAttribute("action", verb);
        model.addAttribute("results", results);
        return "console/bulk-done";
    }

    /** What became of one selected run. */
    record Result(
            String runId,
            @Nullable String job,
            boolean done,
            String outcome,
            @Nullable String newRunId) {}

    private Result one(String verb, RunId id, Caller caller, @Nullable String key, HttpServletRequest request) {
        Optional<Run> found = ledger.find(id);
        if (found.isEmpty()) {
            return new Result(id.value(), null, false, "no such run", null);
        }
        Run run = found.get();
        try {
            if (verb.equals("cancel")) {
                Run after = actions.cancel(request, caller, id);
                return new Result(id.value(), run.job(), true, "now " + after.status(), null);
            }
            Optional<Map<String, String>> params = actions.sameParams(run);
            if (params.isEmpty()) {
                return new Result(
                        id.value(), run.job(), false, "has secret parameters: run it again from its form", null);
            }
            String perRun = key == null
                    ? null
                    : UUID.nameUUIDFromBytes((key + "/" + id).getBytes(StandardCharsets.UTF_8))
                            .toString();
            ConsoleActions.Triggered triggered = actions.trigger(request, caller, run.job(), params.get(), perRun);
            if (triggered.refusal().isPresent()) {
                return new Result(
                        id.value(), run.job(), false, triggered.refusal().get().detail(), null);
            }
            Run again = triggered.run().orElseThrow();
            return new Result(
                    id.value(),
                    run.job(),
                    true,
                    triggered.skipped() ? "skipped (overlap)" : "run again",
                    again.id().value());
        } catch (ApiProblem refused) {
            return new Result(id.value(), run.job(), false, refused.detail(), null);
        }
    }

    private static String verb(String action) {
        if (!action.equals("cancel") && !action.equals("rerun")) {
            throw ApiProblem.badRequest("malformed-request", "Malformed request", "Choose cancel or run again.");
        }
        return action;
    }

    private static List<String> ids(@Nullable List<String> selected) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (selected != null) {
            for (String each : selected) {
                RunId id = RunId.parseOrNull(each);
                if (id != null) {
                    ids.add(id.value());
                }
            }
        }
        if (ids.isEmpty()) {
            throw ApiProblem.badRequest("malformed-request", "No runs selected", "Select at least one run.");
        }
        if (ids.size() > MAX_RUNS) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "too-many-runs",
                    "Too many runs",
                    "At most " + MAX_RUNS + " runs at once; " + ids.size() + " were selected.");
        }
        return List.copyOf(ids);
    }
}
