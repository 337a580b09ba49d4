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
import io.batchgate.runner.run.IllegalRunTransitionException;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.run.StopCause;
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
 * idempotency, overlap and caps are the API's), cancels through the {@link RunCanceller}; every
 * action and every refusal audited with the caller.
 */
@Component
class ConsoleActions {

    private final Admission admission;
    private final RunCanceller canceller;
    private final RunLedger ledger;
    private final ConsoleAudit audit;

    ConsoleActions(Admission admission, RunCanceller canceller, RunLedger ledger, ConsoleAudit audit) {
        this.admission = admission;
        this.canceller = canceller;
        this.ledger = ledger;
        this.audit = audit;
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
