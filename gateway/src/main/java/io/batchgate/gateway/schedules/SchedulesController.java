package io.batchgate.gateway.schedules;

import io.batchgate.gateway.audit.AuditNotes;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.schedule.FireLedger;
import io.batchgate.runner.schedule.Schedules;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/schedules}: the schedules of the catalog whose target the caller may read,
 * with their next fire times, last fire and catch-up state. {@code POST
 * /api/v1/schedules/{name}/pause} and {@code /resume}: an operator of the target (a token that
 * may both trigger and cancel it, or an admin) stops or restarts its fires; both are audited.
 */
@RestController
class SchedulesController {

    private final Schedules schedules;

    SchedulesController(Schedules schedules) {
        this.schedules = schedules;
    }

    @GetMapping("/api/v1/schedules")
    Map<String, Object> list(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        List<Map<String, Object>> views = schedules.all().stream()
                .filter(view -> caller.scopes().allows(Action.READ, view.target()))
                .map(SchedulesController::view)
                .toList();
        return Map.of("schedules", views);
    }

    @GetMapping("/api/v1/schedules/{name}")
    Map<String, Object> one(@PathVariable String name, HttpServletRequest request) {
        Caller caller = Caller.of(request);
        caller.require(Action.READ, name);
        return view(schedules.find(name).orElseThrow(() -> notFound(name)));
    }

    @PostMapping("/api/v1/schedules/{name}/pause")
    Map<String, Object> pause(@PathVariable String name, HttpServletRequest request) {
        return change(name, true, request);
    }

    @PostMapping("/api/v1/schedules/{name}/resume")
    Map<String, Object> resume(@PathVariable String name, HttpServletRequest request) {
        return change(name, false, request);
    }

    private Map<String, Object> change(String name, boolean pause, HttpServletRequest request) {
        Caller caller = Caller.of(request);
        AuditNotes.job(request, name);
        // a job schedule is named after its job: who operates the job operates its schedule
        caller.require(Action.TRIGGER, name);
        caller.require(Action.CANCEL, name);
        boolean changed = (pause ? schedules.pause(name, caller.name()) : schedules.resume(name, caller.name()))
                .orElseThrow(() -> notFound(name));
        AuditNotes.outcome(request, (pause ? "paused" : "resumed") + (changed ? "" : "-already"));
        Map<String, Object> answer = view(schedules.find(name).orElseThrow(() -> notFound(name)));
        answer.put("changed", changed);
        return answer;
    }

    private static ApiProblem notFound(String name) {
        return new ApiProblem(
                HttpStatus.NOT_FOUND,
                "schedule-not-found",
                "Schedule not found",
                "The catalog has no schedule '" + name.replaceAll("\\p{Cntrl}", "?") + "'.");
    }

    private static Map<String, Object> view(Schedules.View view) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", view.name());
        json.put("target", Map.of("kind", view.targetKind(), "name", view.target()));
        json.put("rule", view.rule());
        json.put("timeZone", view.zone());
        json.put("paused", view.paused());
        put(json, "pausedOrResumedAt", view.pausedOrResumedAt());
        put(json, "pausedOrResumedBy", view.pausedOrResumedBy());
        json.put("nextFires", view.nextFires().stream().map(Instant::toString).toList());
        json.put("lastFire", view.lastFire().map(SchedulesController::fire).orElse(null));
        Map<String, Object> catchUp = new LinkedHashMap<>();
        catchUp.put("policy", view.catchUp());
        put(catchUp, "checkedUntil", view.checkedUntil());
        put(catchUp, "last", view.lastCatchUp());
        json.put("catchUp", catchUp);
        return json;
    }

    private static Map<String, Object> fire(FireLedger.FireRow row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nominalTime", row.nominal().toString());
        json.put("nominalDate", row.nominalDate().toString());
        json.put("startTime", row.start());
        json.put("catchUp", row.catchUp());
        json.put("firedAt", row.firedAt().toString());
        json.put("firedBy", row.firedBy());
        put(json, "runId", row.runId());
        put(json, "acceptedAt", row.acceptedAt());
        put(json, "refusal", row.refusal());
        put(json, "missedAt", row.missedAt());
        return json;
    }

    private static void put(Map<String, Object> json, String key, @Nullable Object value) {
        if (value != null) {
            json.put(key, value.toString());
        }
    }
}
