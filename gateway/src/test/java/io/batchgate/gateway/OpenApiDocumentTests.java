package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The OpenAPI document the running gateway serves is the one committed as {@code docs/openapi.yaml},
 * and it describes every handler of the API: a controller added or changed without its description
 * (or without regenerating the file) fails here. Regenerate with {@code scripts/openapi}.
 */
class OpenApiDocumentTests extends GatewayIntegrationTests {

    static final Path COMMITTED = Path.of("..", "docs", "openapi.yaml");

    /** {@code -Dopenapi.write=true} (what scripts/openapi sets) writes the served document instead. */
    static final String WRITE_PROPERTY = "openapi.write";

    /** Handlers that are no part of the API: the error page, the web console, the docs themselves. */
    private static final List<String> NOT_API = List.of("/error", "/ui", "/v3/api-docs", "/swagger-ui");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        HttpResponse<String> served = api.get("/v3/api-docs.yaml");
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        String document = served.body().endsWith("\n") ? served.body() : served.body() + "\n";
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(COMMITTED, document, StandardCharsets.UTF_8);
            System.err.println("wrote " + COMMITTED.toAbsolutePath().normalize());
            return;
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        if (!committed.equals(document)) {
            fail("docs/openapi.yaml differs from the document the gateway serves at /v3/api-docs.yaml (first"
                    + " difference at line " + firstDifferentLine(committed, document) + ")."
                    + " If the API changed on purpose, regenerate it with: scripts/openapi"
                    + " (or mvn -o -pl gateway -am verify -Dtest=OpenApiDocumentTests -Dopenapi.write=true"
                    + " -Dsurefire.failIfNoSpecifiedTests=false) and commit the file.");
        }
    }

    @Test
    void theDocumentIsOpenWithoutAToken() {
        assertThat(api.send(withoutToken("/v3/api-docs")).statusCode()).isEqualTo(200);
        assertThat(api.send(withoutToken("/swagger-ui.html")).statusCode())
                .as("Swagger UI (redirects to its index page)")
                .isIn(200, 302);
        assertThat(api.send(withoutToken("/swagger-ui/index.html")).statusCode())
                .isEqualTo(200);
        assertThat(api.send(withoutToken("/api/v1/jobs")).statusCode())
                .as("the API itself still needs a token")
                .isEqualTo(401);
    }

    @Test
    void everyApiHandlerIsDescribed() {
        JsonNode paths = servedJson().get("paths");
        Set<String> missing = new TreeSet<>();
        Set<String> described = new TreeSet<>();
        handlers.getHandlerMethods().forEach((RequestMappingInfo info, HandlerMethod method) -> {
            String owner = method.getBeanType().getPackageName();
            // springdoc's own handlers; the benchmark's stand-in web app (test code the scan finds)
            if (owner.startsWith("org.springdoc") || owner.startsWith("io.batchgate.bench")) {
                return;
            }
            for (String path : info.getPatternValues()) {
                if (NOT_API.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"))) {
                    continue;
                }
                Set<String> verbs = info.getMethodsCondition().getMethods().isEmpty()
                        ? Set.of("GET", "POST", "PUT", "PATCH", "DELETE")
                        : info.getMethodsCondition().getMethods().stream()
                                .map(Enum::name)
                                .collect(java.util.stream.Collectors.toSet());
                for (String verb : verbs) {
                    String operation = verb + " " + path;
                    JsonNode item = paths.get(path);
                    if (item != null && item.has(verb.toLowerCase(Locale.ROOT))) {
                        described.add(operation);
                    } else {
                        missing.add(operation + " (" + method.getShortLogMessage() + ")");
                    }
                }
            }
        });
        assertThat(missing)
                .as("handlers missing from /v3/api-docs: annotate them (or list them in NOT_API if they"
                        + " are no part of the API), then run scripts/openapi")
                .isEmpty();
        assertThat(described).contains("POST /api/v1/jobs/{job}/runs", "GET /api/v1/runs/{id}");
    }

    @Test
    void everyOperationNamesItsResponsesAndTheBearerScheme() {
        JsonNode document = servedJson();
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asString())
                .isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearer")).isTrue();
        Set<String> withoutAnswer = new TreeSet<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    JsonNode responses = operation.getValue().get("responses");
                    boolean success = responses != null
                            && responses.propertyNames().stream().anyMatch(code -> code.startsWith("2"));
                    if (!success || !responses.has("401")) {
                        withoutAnswer.add(operation.getKey() + " " + path.getKey());
                    }
                }));
        assertThat(withoutAnswer)
                .as("operations without a success answer or the 401 problem")
                .isEmpty();
    }

    /** Each problem type the README lists has an example in the document. */
    @Test
    void everyProblemTypeHasAnExample() throws IOException {
        String document = servedYaml();
        Set<String> readme = new TreeSet<>();
        var matcher = java.util.regex.Pattern.compile("`(\\d{3}) ([a-z]+(?:-[a-z]+)*)`")
                .matcher(Files.readString(Path.of("..", "README.md")));
        while (matcher.find()) {
            readme.add(matcher.group(2));
        }
        assertThat(readme).contains("unknown-job", "invalid-params", "rate-limited");
        Set<String> missing = new TreeSet<>();
        for (String slug : readme) {
            if (!document.contains("type: /problems/" + slug)) {
                missing.add(slug);
            }
        }
        assertThat(missing).as("problem types in the README without an example").isEmpty();
    }

    private HttpRequest withoutToken(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
    }

    private String servedYaml() {
        HttpResponse<String> served = api.get("/v3/api-docs.yaml");
        assertThat(served.statusCode()).isEqualTo(200);
        return served.body();
    }

    private JsonNode servedJson() {
        ObjectMapper yaml = new YAMLMapper();
        return yaml.readTree(servedYaml());
    }

    private static int firstDifferentLine(String a, String b) {
        String[] left = a.split("\n", -1);
        String[] right = b.split("\n", -1);
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            if (!left[i].equals(right[i])) {
                return i + 1;
            }
        }
        return Math.min(left.length, right.length) + 1;
    }
}
