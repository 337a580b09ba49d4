package io.batchgate.gateway.console;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.ExitJudgment;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * One run: status, exit code and its judgment, parameters (secrets masked), who and how, attempts
 * with their ECS and CloudWatch links, the timeline, the log (followed while the run is active,
 * downloadable), and the actions cancel and run again.
 */
@Controller
class RunPages {

    /** Lines of the log shown on the page; the download has all of them. */
    static final int LOG_TAIL = 500;
    /** Bytes of log the page shows at most (the tail of them). */
    static final int LOG_BYTES = 64 * 1024;

    private static final Pattern ECS_TASK =
            Pattern.compile("arn:aws[a-z-]*:ecs:([a-z0-9-]+):\\d+:task/([^/]+)/([^/]+)");

    /** {@code RunSource.net}: the net run and member that started a run. */
    private static final Pattern NET_SOURCE = Pattern.compile("net:([A-Za-z0-9-]{1,36})/(.+)");

    private final RunLedger ledger;
    private final RunLogs logs;
    private final CurrentCatalog catalog;
    private final ConsoleActions actions;

    RunPages(RunLedger ledger, RunLogs logs, CurrentCatalog catalog, ConsoleActions actions) {
        this.ledger = ledger;
        this.logs = logs;
        this.catalog = catalog;
        this.actions = actions;
    }

    @GetMapping("/ui/runs/{id}")
    String run(@PathVariable String id, HttpServletRequest request, Model model) {
        fill(readable(id, request), request, model);
        return "console/run";
    }

    /** The live part of the run page (status, attempts, timeline), refreshed while the run is active. */
    @GetMapping("/ui/runs/{id}/live")
    String live(@PathVariable String id, HttpServletRequest request, Model model) {
        fill(readable(id, request), request, model);
        return "console/run :: live";
    }

    /** The log's last lines; refreshed by the page while the run is active. */
    @GetMapping("/ui/runs/{id}/log")
    String log(@PathVariable String id, HttpServletRequest request, Model model) throws IOException {
        Run run = readable(id, request);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        logs.copy(run.id(), OptionalInt.empty(), OptionalInt.of(LOG_TAIL), out);
        byte[] bytes = out.toByteArray();
        int start = Math.max(0, bytes.length - LOG_BYTES);
        model.addAttribute("run", run);
        model.addAttribute("log", new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        model.addAttribute("following", !run.status().isFinal() || !run.logComplete());
        return "console/run :: log";
    }

    @GetMapping("/ui/runs/{id}/log.txt")
    ResponseEntity<StreamingResponseBody> download(@PathVariable String id, HttpServletRequest request) {
        Run run = readable(id, request);
        StreamingResponseBody body = out -> logs.copy(run.id(), OptionalInt.empty(), OptionalInt.empty(), out);
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(run.job() + "-" + run.id() + ".log")
                                .build()
                                .toString())
                .body(body);
    }

    @PostMapping("/ui/runs/{id}/cancel")
    String cancel(@PathVariable String id, HttpServletRequest request) {
        Run run = actions.cancel(request, Caller.of(request), parse(id));
        return "redirect:/ui/runs/" + run.id();
    }

    /** Runs it again with the same parameters. */
    @PostMapping("/ui/runs/{id}/rerun")
    String rerun(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String submission,
            HttpServletRequest request,
            Model model) {
        Caller caller = Caller.of(request);
        Run run = readable(id, request);
        Map<String, String> params = actions.sameParams(run)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.CONFLICT,
                        "secret-params",
                        "Secrets are not kept",
                        "Run " + run.id() + " had secret parameters, which are not kept: run it again from the"
                                + " form and type them in."));
        ConsoleActions.Triggered triggered =
                actions.trigger(request, caller, run.job(), params, JobPages.submission(submission));
        if (triggered.refusal().isPresent()) {
            throw triggered.refusal().get();
        }
        return "redirect:/ui/runs/" + triggered.run().orElseThrow().id();
    }

    /** Runs it again with changed parameters: the job's form, filled in with this run's. */
    @GetMapping("/ui/runs/{id}/rerun")
    String rerunForm(@PathVariable String id, HttpServletRequest request) {
        Run run = readable(id, request);
        return "redirect:/ui/jobs/" + run.job() + "?from=" + run.id() + "#trigger";
    }

    private void fill(Run run, HttpServletRequest request, Model model) {
        Caller caller = Caller.of(request);
        Optional<JobDefinition> definition = catalog.definition(run.job(), run.catalogVersion());
        model.addAttribute("run", run);
        model.addAttribute("params", run.maskedParams());
        model.addAttribute("judgment", judgment(run, definition));
        model.addAttribute(
                "attempts", run.attempts().stream().map(RunPages::attempt).toList());
        model.addAttribute("timeline", run.timeline());
        model.addAttribute("netRun", netRun(run.source().toString()));
        model.addAttribute("active", !run.status().isFinal());
        model.addAttribute(
                "canCancel", !run.status().isFinal() && caller.scopes().allows(Action.CANCEL, run.job()));
        model.addAttribute("canTrigger", caller.scopes().allows(Action.TRIGGER, run.job()));
        model.addAttribute("sameParams", actions.sameParams(run).isPresent());
        model.addAttribute("submission", java.util.UUID.randomUUID().toString());
        // the page loads the log itself, then follows it while the run is active
        model.addAttribute("following", true);
        model.addAttribute("log", null);
    }

    /** The net run a member's run belongs to, as its source records it. */
    record NetOf(String netRunId, String member) {}

    static @Nullable NetOf netRun(String source) {
        Matcher net = NET_SOURCE.matcher(source);
        return net.matches() ? new NetOf(net.group(1), net.group(2)) : null;
    }

    /** Exit code, what it means and which catalog rule says so. */
    record Judgment(String word, String rule) {}

    static @Nullable Judgment judgment(Run run, Optional<JobDefinition> definition) {
        Integer code = run.exitCode();
        if (code == null) {
            return null;
        }
        if (definition.isEmpty()) {
            return new Judgment(
                    run.warning() ? "warning" : run.status().name().equals("SUCCEEDED") ? "success" : "failure",
                    "catalog version " + run.catalogVersion() + " is no longer known");
        }
        ExitCodePolicy policy = definition.get().exitCodes();
        ExitJudgment judged = policy.judge(code);
        String where = " (" + definition.get().file() + ":" + definition.get().line() + ", catalog "
                + run.catalogVersion() + ")";
        return switch (judged) {
            case SUCCESS -> new Judgment("success", "exitCodes.success " + policy.success() + where);
            case WARNING -> new Judgment("warning", "exitCodes.warning " + policy.warning() + where);
            case FAILURE ->
                new Judgment(
                        "failure",
                        "in neither exitCodes.success " + policy.success() + " nor exitCodes.warning "
                                + policy.warning() + where);
        };
    }

    /** An attempt as the page shows it, with links to the AWS consoles when it ran on ECS. */
    record AttemptInfo(
            Attempt attempt,
            @Nullable String taskHandle,
            @Nullable String ecsLink,
            @Nullable String logLink) {}

    static AttemptInfo attempt(Attempt attempt) {
        String handle = attempt.handle() == null ? null : attempt.handle().id();
        String ecs = null;
        String cloudWatch = null;
        Matcher task = handle == null ? null : ECS_TASK.matcher(handle);
        if (task != null && task.matches()) {
            String region = task.group(1);
            ecs = "https://" + region + ".console.aws.amazon.com/ecs/v2/clusters/" + task.group(2) + "/tasks/"
                    + task.group(3) + "?region=" + region;
            if (attempt.log().group() != null && attempt.log().stream() != null) {
                cloudWatch = "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                        + "#logsV2:log-groups/log-group/"
                        + console(attempt.log().group()) + "/log-events/"
                        + console(attempt.log().stream());
            }
        }
        return new AttemptInfo(
                attempt, attempt.handle() == null ? null : attempt.handle().toString(), ecs, cloudWatch);
    }

    /** The CloudWatch console's own escaping in its fragment: URL-encoded, then '%' written as '$25'. */
    private static String console(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%", "$25");
    }

    private Run readable(String id, HttpServletRequest request) {
        RunId runId = parse(id);
        Run run = ledger.get(runId);
        Caller.of(request).requireForRun(Action.READ, run.job());
        return run;
    }

    private static RunId parse(String id) {
        RunId runId = RunId.parseOrNull(id);
        if (runId == null) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "run-not-found", "No such run", "That is not a run id.");
        }
        return runId;
    }
}
