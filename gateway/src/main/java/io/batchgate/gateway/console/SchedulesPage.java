package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.runner.schedule.Schedules;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.util.UriUtils;

/**
 * The schedules of the catalog in force, as {@code GET /api/v1/schedules} has them (the same
 * {@link Schedules#all()}, the same read filter on the target): rule, zone, the next fire times,
 * the last fire and its run, catch-up state; pause and resume for the callers the API lets.
 */
@Controller
class SchedulesPage {

    private final Schedules schedules;
    private final ConsoleActions actions;

    SchedulesPage(Schedules schedules, ConsoleActions actions) {
        this.schedules = schedules;
        this.actions = actions;
    }

    /** A schedule as its row shows it, with whether this caller may pause and resume it. */
    record Row(Schedules.View view, String targetLink, boolean mayOperate) {}

    @GetMapping("/ui/schedules")
    String list(HttpServletRequest request, Model model) {
        Caller caller = Caller.of(request);
        // the catalog bounds the page: one row per schedule, as the API's list
        List<Row> rows = schedules.all().stream()
                .filter(view -> caller.scopes().allows(Action.READ, view.target()))
                .map(view -> new Row(view, link(view), ConsoleActions.mayOperate(caller, view.name())))
                .toList();
        model.addAttribute("schedules", rows);
        return "console/schedules";
    }

    @PostMapping("/ui/schedules/{name}/pause")
    String pause(@PathVariable String name, HttpServletRequest request) {
        actions.pauseOrResume(request, Caller.of(request), name, true);
        return back(name);
    }

    @PostMapping("/ui/schedules/{name}/resume")
    String resume(@PathVariable String name, HttpServletRequest request) {
        actions.pauseOrResume(request, Caller.of(request), name, false);
        return back(name);
    }

    private static String back(String name) {
        return "redirect:/ui/schedules#schedule-"
                + UriUtils.encodeFragment(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String link(Schedules.View view) {
        String name = UriUtils.encodePathSegment(view.target(), java.nio.charset.StandardCharsets.UTF_8);
        return "net".equals(view.targetKind())
                ? "/ui/nets?net=" + UriUtils.encodeQueryParam(view.target(), java.nio.charset.StandardCharsets.UTF_8)
                : "/ui/jobs/" + name;
    }
}
