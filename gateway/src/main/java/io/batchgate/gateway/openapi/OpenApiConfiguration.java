package io.batchgate.gateway.openapi;

import io.batchgate.gateway.audit.AuditRecord;
import io.batchgate.gateway.status.RunView;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): springdoc
 * reads operations, paths and path variables from the controllers; the rest comes from {@code
 * openapi/batchgate-components.yaml}. Both stay outside the bearer filter (it guards {@code /api/**}
 * only): the description holds nothing a caller's token would protect, and the README says as
 * much; {@code springdoc.api-docs.enabled=false} turns both off.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String COMPONENTS = "openapi/batchgate-components.yaml";

    /** Answers every {@code /api/**} operation may give, whatever it does. */
    private static final Map<String, String> COMMON_RESPONSES = Map.of(
            "401", "Unauthorized",
            "500", "InternalError",
            "503", "DatabaseUnavailable");

    @Bean
    OpenAPI batchgateOpenApi() {
        OpenAPI written = read();
        // the records the status and audit APIs answer with, as springdoc would describe them
        for (Class<?> type : new Class<?>[] {RunView.class, AuditRecord.class}) {
            ModelConverters.getInstance(true)
                    .readAll(new AnnotatedType(type))
                    .forEach(written.getComponents()::addSchemas);
        }
        return written;
    }

    @Bean
    OpenApiCustomizer commonProblemResponses() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (!path.startsWith("/api/")) {
                    return;
                }
                for (Operation operation : item.readOperations()) {
                    describePathVariables(operation);
                    ApiResponses responses =
                            operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                    COMMON_RESPONSES.forEach((status, name) -> {
                        if (!responses.containsKey(status)) {
                            responses.addApiResponse(status, new ApiResponse().$ref("#/components/responses/" + name));
                        }
                    });
                    // a stable order, so the committed document only changes when the API does
                    ApiResponses sorted = new ApiResponses();
                    new TreeMap<>(responses).forEach(sorted::addApiResponse);
                    operation.setResponses(sorted);
                }
            });
        };
    }

    /** The path variables every controller names alike: said once here rather than on each handler. */
    private static void describePathVariables(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            if (!"path".equals(parameter.getIn())) {
                continue;
            }
            if (parameter.getName().equals("id")) {
                parameter.description("the run's id (a lower-case UUID, as `runId` in every answer)");
                // a schema of its own: springdoc shares one string schema between parameters
                parameter.schema(new StringSchema().format("uuid"));
            } else if (parameter.getName().equals("job")) {
                parameter.description("the job's name in the catalog");
            }
        }
    }

    private static OpenAPI read() {
        try (InputStream in = new ClassPathResource(COMPONENTS).getInputStream()) {
            return Yaml31.mapper().readValue(in, OpenAPI.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + COMPONENTS, e);
        }
    }
}
