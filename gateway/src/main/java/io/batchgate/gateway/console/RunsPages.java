package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The runs list: newest first, paged by id, filtered by the URL (job, status, caller, time, text
 * in parameters), with counts per status for the filter; rows of active runs refresh themselves.
 */
@Controller
class RunsPages {

    static final int PAGE_SIZE = 50;

    private final ConsoleRuns runs;
    private final CurrentCatalog catalog;

    RunsPages(ConsoleRuns runs, CurrentCatalog catalog) {
        this.runs = runs;
        this.catalog = catalog;
    }

    @GetMapping("/ui/runs")
    String runs(
            @RequestParam(required = false) @Nullable String job,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String caller,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String before,
            HttpServletRequest request,
            Model model) {
        Caller me = Caller.of(request);
        RunFilter filter = RunFilter.parse(job, status, caller, from, to, q);
        Optional<List<String>> readable = me.scopes().readableGlobs();
        Optional<String> cursor = Optional.ofNullable(RunId.parseOrNull(before)).map(RunId::value);
        ConsoleRuns.Page page = runs.page(filter, readable, cursor, PAGE_SIZE);
        Map<RunStatus, Long> counts = runs.countsByStatus(filter, readable);
        List<StatusCount> statusCounts = new ArrayList<>();
        long total = 0;
        for (RunStatus each : RunStatus.values()) {
            long count = counts.getOrDefault(each, 0L);
            total += count;
            statusCounts.add(new StatusCount(
                    each,
                    count,
                    filter.query(each, false, null),
                    filter.status().equals(Optional.of(each))));
        }
        model.addAttribute("filter", filter);
        model.addAttribute("textWindow", ConsoleRuns.TEXT_WINDOW);
        model.addAttribute("countWindow", ConsoleRuns.COUNT_WINDOW);
        model.addAttribute("fromInput", filter.from().map(RunFilter::input).orElse(""));
        model.addAttribute("toInput", filter.to().map(RunFilter::input).orElse(""));
        model.addAttribute("statuses", RunStatus.values());
        model.addAttribute("jobs", readableJobs(me));
        model.addAttribute("page", page);
        model.addAttribute("counts", statusCounts);
        model.addAttribute("total", total);
        model.addAttribute("allStatusesLink", filter.query(null, false, null));
        model.addAttribute("firstPageLink", cursor.isPresent() ? filter.query(null, true, null) : null);
        model.addAttribute(
                "olderLink",
                page.nextBefore().map(id -> filter.query(null, true, id)).orElse(null));
        model.addAttribute("canCancel", canAnywhere(me, Action.CANCEL));
        model.addAttribute("canTrigger", canAnywhere(me, Action.TRIGGER));
        return "console/runs";
    }

    /** One row, for an active row that refreshes itself (htmx); a final row stops refreshing. */
    @GetMapping("/ui/runs/{id}/row")
    String row(
            @PathVariable String id,
            @RequestParam(name = "run", required = false) @Nullable String selected,
            HttpServletRequest request,
            Model model) {
        Caller me = Caller.of(request);
        RunId runId = RunId.parseOrNull(id);
        List<ConsoleRuns.RunRow> found = runId == null ? List.of() : runs.rows(List.of(runId.value()));
        if (found.isEmpty() || !me.scopes().allows(Action.READ, found.get(0).job())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        model.addAttribute("run", found.get(0));
        // the row's checkbox comes along (hx-include), so a refresh keeps the selection
        model.addAttribute("selected", found.get(0).id().equals(selected));
        model.addAttribute("canCancel", canAnywhere(me, Action.CANCEL));
        model.addAttribute("canTrigger", canAnywhere(me, Action.TRIGGER));
        return "console/run-row :: row";
    }

    private List<String> readableJobs(Caller me) {
        return catalog.get().jobs().keySet().stream()
                .filter(name -> me.scopes().allows(Action.READ, name))
                .sorted()
                .toList();
    }

    /** Whether the caller may do this to some job: shows the bulk buttons (each run is checked again). */
    static boolean canAnywhere(Caller caller, Action action) {
        return caller.scopes().grantsAny(action);
    }

    record StatusCount(RunStatus status, long count, String link, boolean selected) {}
}
