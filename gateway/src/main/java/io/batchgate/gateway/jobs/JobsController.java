package io.batchgate.gateway.jobs;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.ParamSpec;
import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.gateway.status.RunText;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.TaskRuntimes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The catalog as loaded: which jobs exist, what a caller may set, on which runtime they run. */
@RestController
@RequestMapping("/api/v1/jobs")
class JobsController {

    private final CurrentCatalog catalog;
    private final TaskRuntimes runtimes;

    JobsController(CurrentCatalog catalog, TaskRuntimes runtimes) {
        this.catalog = catalog;
        this.runtimes = runtimes;
    }

    /**
     * The jobs this caller may read (acting on a job implies reading it); as JSON, or with {@code
     * Accept: text/plain} one line per job (name, runtime, description; tab-separated) for shells.
     */
    @Operation(operationId = "listJobs", tags = "jobs", summary = "The jobs of the catalog the caller may read")
    @ApiResponse(
            responseCode = "200",
            description = "the catalog version and its jobs",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Jobs")),
                @Content(
                        mediaType = "text/plain",
                        schema =
                                @Schema(
                                        type = "string",
                                        description = "one line per job: name, runtime, description (tab-separated)"))
            })
    @GetMapping
    ResponseEntity<?> jobs(
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (RunText.wanted(accept)) {
            StringBuilder text = new StringBuilder();
            catalog.get().jobs().values().stream()
                    .filter(job -> caller.scopes().allows(Action.READ, job.name()))
                    .forEach(job -> text.append(job.name())
                            .append('\t')
                            .append(runtimes.runtimeNameFor(job))
                            .append('\t')
                            .append(job.description().replaceAll("\\s+", " ").strip())
                            .append('\n'));
            return ResponseEntity.ok().contentType(RunText.TEXT).body(text.toString());
        }
        return ResponseEntity.ok(jobsJson(caller));
    }

    private Map<String, Object> jobsJson(Caller caller) {
        Catalog current = catalog.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", current.version());
        body.put(
                "jobs",
                current.jobs().values().stream()
                        .filter(job -> caller.scopes().allows(Action.READ, job.name()))
                        .map(this::view)
                        .toList());
        // warnings name files and jobs: only for those who may see the whole catalog
        body.put(
                "warnings",
                caller.scopes().admin()
                        ? current.warnings().stream().map(Object::toString).toList()
                        : List.of());
        return body;
    }

    @Operation(operationId = "getJob", tags = "jobs", summary = "One job of the catalog")
    @ApiResponse(
            responseCode = "200",
            description = "the job, with the catalog version",
            content = @Content(schema = @Schema(ref = "#/components/schemas/Job")))
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/UnknownJob")
    @GetMapping("/{job}")
    Map<String, Object> job(@PathVariable String job, HttpServletRequest request) {
        Caller.of(request).require(Action.READ, job);
        Catalog current = catalog.get();
        JobDefinition definition = current.job(job)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "unknown-job",
                        "Unknown job",
                        "There is no job '" + abbreviate(job) + "' in the catalog."));
        Map<String, Object> body = view(definition);
        body.put("catalogVersion", current.version());
        return body;
    }

    private Map<String, Object> view(JobDefinition job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", job.name());
        view.put("description", job.description());
        view.put("runtime", runtimes.runtimeNameFor(job));
        runtimes.whyNotRunnable(job).ifPresent(why -> view.put("notRunnable", why));
        view.put(
                "targets",
                job.local().isPresent() && job.ecs().isPresent()
                        ? List.of("local", "ecs")
                        : job.local().isPresent() ? List.of("local") : List.of("ecs"));
        view.put(
                "params",
                job.params().values().stream().map(JobsController::param).toList());
        view.put(
                "exitCodes",
                Map.of(
                        "success", new TreeSet<>(job.exitCodes().success()),
                        "warning", new TreeSet<>(job.exitCodes().warning())));
        view.put("links", Map.of("runs", "/api/v1/jobs/" + job.name() + "/runs"));
        return view;
    }

    private static Map<String, Object> param(ParamSpec spec) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", spec.name());
        view.put("type", spec.type().name().toLowerCase());
        view.put("required", spec.required());
        spec.defaultValue().ifPresent(value -> view.put("default", spec.secret() ? "******" : value));
        spec.pattern().ifPresent(pattern -> view.put("pattern", pattern.pattern()));
        view.put("maxLength", spec.maxLength());
        spec.min().ifPresent(min -> view.put("min", min));
        spec.max().ifPresent(max -> view.put("max", max));
        if (!spec.values().isEmpty()) {
            view.put("values", spec.values());
        }
        view.put("secret", spec.secret());
        view.put("description", spec.description());
        return view;
    }

    private static String abbreviate(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
