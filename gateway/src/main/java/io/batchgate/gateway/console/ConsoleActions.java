package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.trigger.RefusalProblems;
import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.admission.Admitted;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.net.NetJudgment;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.net.NetRunId;
import io.batchgate.runner.net.NetRunStatus;
import io.batchgate.runner.net.NetRuns;
import io.batchgate.runner.run.IllegalRunTransitionException;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.run.StopCause;
import io.batchgate.runner.schedule.Schedules;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The console's actions, with the API's rules: scopes checked as the API checks them, runs
 * admitted only through {@link Admission#accept} (source {@code ui}, so catalog binding,
 * idempotency, overlap and caps are the API's), cancels through the {@link RunCanceller}, net
 * cancels through {@link NetRuns}, pause and resume through {@link Schedules}; every action and
 * every refusal audited with the caller, under the API's action names.
 */
@Component
class ConsoleActions {

    private final Admission admission;
    private final RunCanceller canceller;
    private final RunLedger ledger;
    private final ConsoleAudit audit;
    private final Schedules schedules;
    private final NetRuns netRuns;

    ConsoleActions(
            Admission admission,
            RunCanceller canceller,
            RunLedger ledger,
            ConsoleAudit audit,
            Schedules schedules,
            NetRuns netRuns) {
        this.admission = admission;
        this.canceller = canceller;
        this.ledger = ledger;
        this.audit = audit;
        this.schedules = schedules;
        this.netRuns = netRuns;
    }

    /** A trigger's result: the run admitted (new or replayed), or why not, as the API's problem. */
    record Triggered(Optional<Run> run, Optional<ApiProblem> refusal, boolean skipped) {}

    /**
     * Admits a run of the job for the caller. {@code submission} is the form's one-time key: a
     * form sent twice (double click, reload) replays the first run instead of starting two.
     */
    Triggered trigger(
            HttpServletRequest request,
            Caller caller,
            String job,
            Map<String, String> params,
            @Nullable String submission) {
        require(request, caller, Action.TRIGGER, job, null, "TRIGGER", false);
        Admitted admitted = admission.accept(new AdmissionRequest(
                job,
                params,
                new AdmissionRequest.Requester(
                        caller.name(), RunSource.ui(), String.valueOf(request.getRemoteAddr()), target(request)),
                submission == null ? null : "ui:" + submission,
                null,
                Optional.empty()));
        if (admitted instanceof Admitted.Refused refused) {
            ApiProblem problem = RefusalProblems.of(refused.reason());
            audit.record(
                    request,
                    caller.name(),
                    "TRIGGER",
                    job,
                    null,
                    problem.status().value(),
                    problem.type());
            return new Triggered(Optional.empty(), Optional.of(problem), false);
        }
        if (admitted instanceof Admitted.Replayed replayed) {
            audit.record(
                    request, caller.name(), "TRIGGER", job, replayed.run().id().value(), 200, "replayed");
            return new Triggered(Optional.of(replayed.run()), Optional.empty(), false);
        }
        // an accepted run is audited by admission, in the transaction that stored it
        Admitted.Accepted accepted = (Admitted.Accepted) admitted;
        return new Triggered(Optional.of(accepted.run()), Optional.empty(), accepted.skipped());
    }

    /**
     * The parameters to run a run again with: its own, as bound. A secret value is not kept once
     * the run has ended (and never shown), so a run with secrets can only be run again from the
     * form, with the secrets typed in again.
     */
    Optional<Map<String, String>> sameParams(Run run) {
        if (!run.secretParams().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LinkedHashMap<>(run.params()));
    }

    /** Cancels a run for the caller; the run as it is afterwards. */
    Run cancel(HttpServletRequest request, Caller caller, RunId id) {
        Run run = ledger.get(id);
        require(request, caller, Action.CANCEL, run.job(), id.value(), "CANCEL", true);
        try {
            Run cancelled = canceller.cancel(id, "by " + caller.name() + " (console)", StopCause.CANCEL);
            audit.record(request, caller.name(), "CANCEL", run.job(), id.value(), 200, "cancelled");
            return cancelled;
        } catch (IllegalRunTransitionException e) {
            audit.record(request, caller.name(), "CANCEL", run.job(), id.value(), 409, "run-finished");
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "run-finished",
                    "Run already finished",
                    "Run " + id + " already finished as " + e.current() + "; only an unfinished run can be"
                            + " cancelled.");
        }
    }

    /**
     * Whether the caller may pause and resume the schedule: the API's rule (SchedulesController),
     * a schedule is named after its target, and who may both trigger and cancel it operates it.
     */
    static boolean mayOperate(Caller caller, String schedule) {
        return caller.scopes().allows(Action.TRIGGER, schedule)
                && caller.scopes().allows(Action.CANCEL, schedule);
    }

    /** Pauses or resumes a schedule for the caller; whether it changed. Audited as the API's. */
    boolean pauseOrResume(HttpServletRequest request, Caller caller, String schedule, boolean pause) {
        String action = pause ? "SCHEDULE_PAUSE" : "SCHEDULE_RESUME";
        require(request, caller, Action.TRIGGER, schedule, null, action, false);
        require(request, caller, Action.CANCEL, schedule, null, action, false);
        Optional<Boolean> changed =
                pause ? schedules.pause(schedule, caller.name()) : schedules.resume(schedule, caller.name());
        if (changed.isEmpty()) {
            audit.record(request, caller.name(), action, schedule, null, 404, "schedule-not-found");
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "schedule-not-found",
                    "Schedule not found",
                    "The catalog has no schedule '" + schedule.replaceAll("\\p{Cntrl}", "?") + "'.");
        }
        audit.record(
                request,
                caller.name(),
                action,
                schedule,
                null,
                200,
                (pause ? "paused" : "resumed") + (changed.get() ? "" : "-already"));
        return changed.get();
    }

    /** Cancels a net run's active members for the caller, as the API does; the net run afterwards. */
    NetRun cancelNet(HttpServletRequest request, Caller caller, NetRunId id) {
        NetRun before = netRuns.get(id);
        require(request, caller, Action.CANCEL, before.net(), id.value(), "NET_CANCEL", true);
        if (before.status() == NetRunStatus.ENDED && before.judgment().orElseThrow() != NetJudgment.CANCELLED) {
            audit.record(request, caller.name(), "NET_CANCEL", before.net(), id.value(), 409, "net-run-finished");
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "net-run-finished",
                    "Net run already ended",
                    "Net run " + id + " already ended " + before.judgment().orElseThrow()
                            + "; only an active net run can be cancelled.");
        }
        NetRun run = netRuns.cancel(id, "by " + caller.name() + " (console)");
        boolean ended = run.status() == NetRunStatus.ENDED;
        audit.record(
                request,
                caller.name(),
                "NET_CANCEL",
                run.net(),
                id.value(),
                ended ? 200 : 202,
                ended ? "cancelled" : "cancelling");
        return run;
    }

    /** The API's scope check, audited when it refuses. */
    void require(
            HttpServletRequest request,
            Caller caller,
            Action action,
            String job,
            @Nullable String runId,
            String audited,
            boolean forRun) {
        try {
            if (forRun) {
                caller.requireForRun(action, job);
            } else {
                caller.require(action, job);
            }
        } catch (ApiProblem refused) {
            audit.record(
                    request,
                    caller.name(),
                    audited,
                    job,
                    runId,
                    refused.status().value(),
                    refused.type());
            throw refused;
        }
    }

    private static String target(HttpServletRequest request) {
        return "POST " + request.getRequestURI();
    }
}
