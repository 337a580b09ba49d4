package io.batchgate.gateway.console;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.ParamSpec;
import io.batchgate.catalog.ParamType;
import io.batchgate.catalog.RetryRule;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The catalog as loaded (version, warnings), each job's description, runtime, policies and
 * parameters, its last runs and success rate, and a trigger form generated from its parameter
 * specs: checked in the browser (types, enums, patterns, lengths) and again by admission, exactly
 * as an API trigger is.
 */
@Controller
class JobPages {

    /** How many of a job's latest runs its success rate is computed over. */
    static final int RATE_OVER = 50;

    /** The jobs list reads this many of the newest runs of all jobs (a job's page reads its own). */
    static final int NEWEST = 2_000;

    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;
    private final ConsoleRuns runs;
    private final RunLedger ledger;
    private final ConsoleActions actions;

    JobPages(
            CurrentCatalog catalog, TaskRuntimes runtimes, ConsoleRuns runs, RunLedger ledger, ConsoleActions actions) {
        this.catalog = catalog;
        this.runtimes = runtimes;
        this.runs = runs;
        this.ledger = ledger;
        this.actions = actions;
    }

    @GetMapping("/ui/jobs")
    String jobs(HttpServletRequest request, Model model) {
        Caller caller = Caller.of(request);
        Catalog current = catalog.get();
        // one indexed read for every job: each job's runs among the newest NEWEST runs
        Map<String, List<ConsoleRuns.RunRow>> recent = new HashMap<>();
        for (ConsoleRuns.RunRow row : runs.newest(NEWEST)) {
            List<ConsoleRuns.RunRow> list = recent.computeIfAbsent(row.job(), k -> new ArrayList<>());
            if (list.size() < RATE_OVER) {
                list.add(row);
            }
        }
        List<JobSummary> jobs = new ArrayList<>();
        for (JobDefinition job : current.jobs().values()) {
            if (caller.scopes().allows(Action.READ, job.name())) {
                jobs.add(summary(job, recent.getOrDefault(job.name(), List.of())));
            }
        }
        model.addAttribute("newest", NEWEST);
        model.addAttribute("catalog", current);
        // warnings name files and jobs: only for those who may see the whole catalog, as in the API
        model.addAttribute("warnings", caller.scopes().admin() ? current.warnings() : List.of());
        model.addAttribute(
                "refused", caller.scopes().admin() ? catalog.refused().orElse(null) : null);
        model.addAttribute("jobs", jobs);
        return "console/jobs";
    }

    @GetMapping("/ui/jobs/{job}")
    String job(
            @PathVariable String job,
            @RequestParam(required = false) @Nullable String from,
            HttpServletRequest request,
            Model model) {
        Caller caller = Caller.of(request);
        caller.require(Action.READ, job);
        JobDefinition definition = definition(job);
        Map<String, String> values = new HashMap<>();
        RunId fromId = RunId.parseOrNull(from);
        if (fromId != null) {
            Run previous = ledger.get(fromId);
            caller.requireForRun(Action.READ, previous.job());
            if (previous.job().equals(job)) {
                previous.params().forEach((name, value) -> {
                    if (!previous.secretParams().contains(name)) {
                        values.put(name, value);
                    }
                });
                model.addAttribute("rerunOf", previous.id().value());
            }
        }
        fill(caller, definition, values, Map.of(), model);
        return "console/job";
    }

    /** The trigger form: 303 to the new run, or the form again with what admission refused (422). */
    @PostMapping("/ui/jobs/{job}/runs")
    String trigger(
            @PathVariable String job,
            @RequestParam MultiValueMap<String, String> form,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Caller caller = Caller.of(request);
        actions.require(request, caller, Action.TRIGGER, job, null, "TRIGGER", false);
        JobDefinition definition = definition(job);
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> shown = new HashMap<>();
        form.forEach((name, list) -> {
            String value = list.isEmpty() ? "" : list.get(0);
            // control fields are lower case; params are upper-case env names; an empty field takes the default
            if (!name.isEmpty() && Character.isUpperCase(name.charAt(0)) && !value.isEmpty()) {
                params.put(name, value);
                ParamSpec spec = definition.params().get(name);
                if (spec == null || !spec.secret()) {
                    shown.put(name, value);
                }
            }
        });
        ConsoleActions.Triggered triggered =
                actions.trigger(request, caller, job, params, submission(form.getFirst("submission")));
        if (triggered.refusal().isPresent()) {
            ApiProblem problem = triggered.refusal().get();
            response.setStatus(
                    problem.status() == HttpStatus.BAD_REQUEST
                            ? 422
                            : problem.status().value());
            Map<String, String> errors = new HashMap<>();
            Object violations = problem.properties().get("errors");
            if (violations instanceof List<?> list) {
                for (Object each : list) {
                    if (each instanceof Map<?, ?> violation) {
                        errors.put(String.valueOf(violation.get("param")), String.valueOf(violation.get("message")));
                    }
                }
            }
            model.addAttribute("refusal", problem);
            fill(caller, definition, shown, errors, model);
            return "console/job";
        }
        return "redirect:/ui/runs/" + triggered.run().orElseThrow().id();
    }

    /** A form's one-time key, if it sent a well-formed one. */
    static @Nullable String submission(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void fill(
            Caller caller,
            JobDefinition definition,
            Map<String, String> values,
            Map<String, String> errors,
            Model model) {
        List<ConsoleRuns.RunRow> recent = runs.recent(definition.name(), RATE_OVER);
        model.addAttribute("job", summary(definition, recent));
        model.addAttribute("recent", recent.subList(0, Math.min(10, recent.size())));
        model.addAttribute(
                "fields",
                definition.params().values().stream()
                        .map(spec -> field(spec, values.get(spec.name()), errors.get(spec.name())))
                        .toList());
        model.addAttribute(
                "unbound",
                errors.keySet().stream()
                        .filter(name -> !definition.params().containsKey(name))
                        .map(name -> name + ": " + errors.get(name))
                        .toList());
        model.addAttribute("canTrigger", caller.scopes().allows(Action.TRIGGER, definition.name()));
        model.addAttribute("submission", UUID.randomUUID().toString());
        model.addAttribute("catalogVersion", catalog.get().version());
    }

    private JobDefinition definition(String job) {
        return catalog.get()
                .job(job)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND, "unknown-job", "Unknown job", "There is no such job in the catalog."));
    }

    /** A job as the pages list it: what it is, where it runs, its policies, how its last runs went. */
    record JobSummary(
            JobDefinition definition,
            String runtime,
            @Nullable String notRunnable,
            List<String> policies,
            @Nullable RunStatus lastStatus,
            @Nullable String lastRunId,
            int finished,
            @Nullable Integer successPercent) {}

    private JobSummary summary(JobDefinition job, List<ConsoleRuns.RunRow> recent) {
        int finished = 0;
        int succeeded = 0;
        for (ConsoleRuns.RunRow row : recent) {
            if (row.status().isFinal() && row.status() != RunStatus.SKIPPED) {
                finished++;
                if (row.status() == RunStatus.SUCCEEDED) {
                    succeeded++;
                }
            }
        }
        return new JobSummary(
                job,
                runtimes.runtimeNameFor(job),
                runtimes.whyNotRunnable(job).orElse(null),
                policies(job),
                recent.isEmpty() ? null : recent.get(0).status(),
                recent.isEmpty() ? null : recent.get(0).id(),
                finished,
                finished == 0 ? null : Math.round(100f * succeeded / finished));
    }

    static List<String> policies(JobDefinition job) {
        List<String> policies = new ArrayList<>();
        policies.add("exit codes: success " + job.exitCodes().success()
                + (job.exitCodes().warning().isEmpty()
                        ? ""
                        : ", warning " + job.exitCodes().warning()));
        policies.add("attempts: at most " + job.retry().maxAttempts());
        for (RetryRule rule : job.retry().rules()) {
            policies.add("retry rule: " + rule.describe());
        }
        job.timeouts().run().ifPresent(run -> policies.add("run timeout: " + run));
        job.timeouts().start().ifPresent(start -> policies.add("start timeout: " + start));
        policies.add("overlap: " + job.concurrency().overlap().name().toLowerCase()
                + job.concurrency()
                        .maxConcurrent()
                        .map(n -> ", at most " + n + " at once")
                        .orElse("")
                + ", at most " + job.concurrency().maxQueued() + " queued");
        job.monitor().ifPresent(monitor -> policies.add("heartbeat monitor: configured"));
        return policies;
    }

    /** One input of the trigger form, as the param spec declares it. */
    record ParamField(
            String name,
            String kind,
            String inputType,
            boolean required,
            String value,
            @Nullable String defaultValue,
            @Nullable String pattern,
            int maxLength,
            @Nullable Integer min,
            @Nullable Integer max,
            List<String> options,
            boolean secret,
            String description,
            @Nullable String error) {

        public String id() {
            return "param-" + name;
        }

        public boolean select() {
            return !options.isEmpty();
        }

        public String hint() {
            StringBuilder hint = new StringBuilder(kind);
            if (required) {
                hint.append(", required");
            }
            if (defaultValue != null) {
                hint.append(", default ").append(defaultValue);
            }
            if (min != null || max != null) {
                hint.append(", ").append(min == null ? "…" : min).append(" to ").append(max == null ? "…" : max);
            }
            if (pattern != null) {
                hint.append(", pattern ").append(pattern);
            }
            return hint.toString();
        }
    }

    static ParamField field(ParamSpec spec, @Nullable String value, @Nullable String error) {
        String input =
                switch (spec.type()) {
                    case INT -> "number";
                    case DATE -> "date";
                    default -> spec.secret() ? "password" : "text";
                };
        List<String> options =
                switch (spec.type()) {
                    case ENUM -> spec.values();
                    case BOOL -> List.of("true", "false");
                    default -> List.of();
                };
        String shownDefault =
                spec.defaultValue().map(d -> spec.secret() ? "******" : d).orElse(null);
        String current = value == null ? "" : value;
        if (spec.type() == ParamType.DATE && current.matches("\\d{4}/\\d{2}/\\d{2}")) {
            current = current.replace('/', '-');
        }
        return new ParamField(
                spec.name(),
                spec.type().id(),
                input,
                spec.required(),
                current,
                shownDefault,
                spec.pattern().map(p -> p.pattern()).orElse(null),
                spec.maxLength(),
                spec.min().orElse(null),
                spec.max().orElse(null),
                options,
                spec.secret(),
                spec.description(),
                error);
    }
}
