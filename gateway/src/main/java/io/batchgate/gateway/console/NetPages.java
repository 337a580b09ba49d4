package io.batchgate.gateway.console;

import io.batchgate.catalog.NetMember;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.net.MemberRun;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.net.NetRunId;
import io.batchgate.runner.net.NetRunStatus;
import io.batchgate.runner.net.NetRuns;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Job nets: the newest net runs (of one net, or of every net the caller may read), and one net
 * run with its status, judgment, exit code, members (each linked to its run, or a nested net to
 * its net run) and timeline, refreshed while it is active; cancel for the callers the API lets.
 */
@Controller
class NetPages {

    static final int PAGE_SIZE = 50;

    private final ConsoleRuns runs;
    private final NetRuns netRuns;
    private final RunLedger ledger;
    private final CurrentCatalog catalog;
    private final ConsoleActions actions;

    NetPages(ConsoleRuns runs, NetRuns netRuns, RunLedger ledger, CurrentCatalog catalog, ConsoleActions actions) {
        this.runs = runs;
        this.netRuns = netRuns;
        this.ledger = ledger;
        this.catalog = catalog;
        this.actions = actions;
    }

    @GetMapping("/ui/nets")
    String list(
            @RequestParam(required = false) @Nullable String net,
            @RequestParam(required = false) @Nullable String before,
            HttpServletRequest request,
            Model model) {
        Caller caller = Caller.of(request);
        Optional<String> chosen = net == null || net.isBlank() ? Optional.empty() : Optional.of(net.strip());
        Optional<String> cursor =
                Optional.ofNullable(before).map(RunId::parseOrNull).map(RunId::value);
        ConsoleRuns.NetRunPage page = runs.netRuns(chosen, caller.scopes().readableGlobs(), cursor, PAGE_SIZE);
        model.addAttribute("page", page);
        model.addAttribute("net", chosen.orElse(""));
        model.addAttribute(
                "nets",
                catalog.get().nets().keySet().stream()
                        .filter(name -> caller.scopes().allows(Action.READ, name))
                        .toList());
        model.addAttribute("pageSize", PAGE_SIZE);
        return "console/nets";
    }

    @GetMapping("/ui/net-runs/{id}")
    String netRun(@PathVariable String id, HttpServletRequest request, Model model) {
        fill(readable(id, request), request, model);
        return "console/net-run";
    }

    /** The live part of the page (status, members, timeline), refreshed while the net run is active. */
    @GetMapping("/ui/net-runs/{id}/live")
    String live(@PathVariable String id, HttpServletRequest request, Model model) {
        fill(readable(id, request), request, model);
        return "console/net-run :: live";
    }

    @PostMapping("/ui/net-runs/{id}/cancel")
    String cancel(@PathVariable String id, HttpServletRequest request) {
        NetRun run = actions.cancelNet(request, Caller.of(request), parse(id));
        return "redirect:/ui/net-runs/" + run.id();
    }

    /** A member as its row shows it: the run's status as the ledger has it now, for a job member. */
    record Member(
            MemberRun member,
            @Nullable String link,
            @Nullable RunStatus runStatus,
            boolean warning) {}

    private void fill(NetRun run, HttpServletRequest request, Model model) {
        Caller caller = Caller.of(request);
        boolean active = run.status() != NetRunStatus.ENDED;
        model.addAttribute("run", run);
        model.addAttribute("active", active);
        // members are bounded by the net's definition
        model.addAttribute("members", run.members().stream().map(this::member).toList());
        model.addAttribute("canCancel", active && caller.scopes().allows(Action.CANCEL, run.net()));
    }

    private Member member(MemberRun member) {
        if (member.runId() == null) {
            return new Member(member, null, null, false);
        }
        if (member.kind() == NetMember.Kind.NET) {
            return new Member(member, "/ui/net-runs/" + member.runId(), null, false);
        }
        Optional<Run> run = ledger.find(new RunId(member.runId()));
        return new Member(
                member,
                "/ui/runs/" + member.runId(),
                run.map(Run::status).orElse(null),
                run.map(Run::warning).orElse(false));
    }

    private NetRun readable(String id, HttpServletRequest request) {
        NetRun run = netRuns.get(parse(id));
        Caller.of(request).requireForRun(Action.READ, run.net());
        return run;
    }

    private static NetRunId parse(String id) {
        NetRunId parsed = NetRunId.parseOrNull(id);
        if (parsed == null) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND, "net-run-not-found", "No such net run", "That is not a net run id.");
        }
        return parsed;
    }
}
