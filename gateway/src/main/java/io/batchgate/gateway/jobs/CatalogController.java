package io.batchgate.gateway.jobs;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogProblem;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.catalog.CatalogVersions.StoredVersion;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.catalog.CurrentCatalog.Reload;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog as a whole: the version in force, the errors of a refused reload, the versions seen,
 * and a reload on request (a catalog repository's CI hook calls it after a merge).
 */
@RestController
@RequestMapping("/api/v1/catalog")
class CatalogController {

    static final int MAX_VERSIONS = 100;

    private final CurrentCatalog catalog;

    CatalogController(CurrentCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The version in force and, if the directory holds a catalog that was refused, its errors as
     * {@code file:line: field: message}. Errors and warnings name files and jobs: admins only.
     */
    @Operation(
            operationId = "getCatalog",
            tags = "catalog",
            summary = "The catalog version in force and whether the last reload was refused")
    @ApiResponse(
            responseCode = "200",
            description = "the catalog's state (errors and warnings for admins only)",
            content = @Content(schema = @Schema(ref = "#/components/schemas/Catalog")))
    @GetMapping
    Map<String, Object> catalog(HttpServletRequest request) {
        boolean admin = Caller.of(request).scopes().admin();
        Catalog current = catalog.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", current.version());
        body.put("jobCount", current.jobs().size());
        catalog.refused()
                .ifPresentOrElse(
                        refused -> {
                            body.put("reload", "refused");
                            if (admin) {
                                body.put("refusedAt", refused.at().toString());
                                body.put("errors", lines(refused.errors()));
                            }
                        },
                        () -> body.put("reload", "ok"));
        if (admin) {
            body.put("warnings", lines(current.warnings()));
        }
        body.put("links", Map.of("versions", "/api/v1/catalog/versions", "jobs", "/api/v1/jobs"));
        return body;
    }

    /** Re-reads the directory now: 200 with the version in force, or 422 with the errors. */
    @Operation(
            operationId = "reloadCatalog",
            tags = "catalog",
            summary = "Re-read the catalog directory now (admins only)")
    @ApiResponse(
            responseCode = "200",
            description = "the version in force, and whether it changed",
            content = @Content(schema = @Schema(ref = "#/components/schemas/CatalogReload")))
    @ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/CatalogRefused")
    @PostMapping("/reload")
    Map<String, Object> reload(HttpServletRequest request) {
        Caller.of(request).requireAdmin();
        Reload reload = catalog.reload();
        if (reload instanceof Reload.Refused refused) {
            throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "catalog-refused",
                    "Catalog refused",
                    "The catalog directory has " + refused.refused().errors().size() + " error(s); version "
                            + refused.version() + " stays in force.",
                    Map.of(
                            "version", refused.version(),
                            "errors", lines(refused.refused().errors())));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", reload.version());
        body.put("changed", reload instanceof Reload.Swapped);
        if (reload instanceof Reload.Swapped swapped) {
            body.put("previous", swapped.previous());
        }
        return body;
    }

    /** The versions seen (stored when first loaded by any replica), newest first. */
    @Operation(
            operationId = "listCatalogVersions",
            tags = "catalog",
            summary = "The catalog versions any replica loaded, newest first")
    @ApiResponse(
            responseCode = "200",
            description = "the versions",
            content = @Content(schema = @Schema(ref = "#/components/schemas/CatalogVersions")))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/InvalidLimit")
    @GetMapping("/versions")
    Map<String, Object> versions(
            @Parameter(
                            description = "how many versions",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20"))
                    @RequestParam(defaultValue = "20")
                    int limit,
            HttpServletRequest request) {
        Caller.of(request);
        if (limit < 1 || limit > MAX_VERSIONS) {
            throw ApiProblem.badRequest(
                    "invalid-limit", "Invalid limit", "limit must be from 1 to " + MAX_VERSIONS + ".");
        }
        String inForce = catalog.get().version();
        List<Map<String, Object>> versions = catalog.versions(limit).stream()
                .map((StoredVersion stored) -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("version", stored.version());
                    view.put("loadedAt", stored.loadedAt().toString());
                    view.put("inForce", stored.version().equals(inForce));
                    return view;
                })
                .toList();
        return Map.of("versions", versions);
    }

    private static List<String> lines(List<CatalogProblem> problems) {
        return problems.stream().map(CatalogProblem::toString).toList();
    }
}
