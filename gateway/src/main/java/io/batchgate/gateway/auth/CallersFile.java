package io.batchgate.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The callers file: the same entries as {@code batchgate.auth.tokens}, under {@code callers:}.
 *
 * <pre>
 * callers:
 *   - name: jp1-prod
 *     token-sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *     scopes: [trigger:nightly-*, cancel:nightly-*]
 *     trigger-rate: { per-second: 5, burst: 50 }
 * </pre>
 */
final class CallersFile {

    private static final Set<String> FIELDS = Set.of("name", "token", "token-sha256", "scopes", "trigger-rate");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private CallersFile() {}

    static List<CallerRegistry.KnownToken> load(Path file, List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
            return List.of();
        } catch (JacksonException e) {
            problems.add(file + ":" + e.getLocation().getLineNr() + ": not valid YAML: " + e.getOriginalMessage());
            return List.of();
        }
        if (root == null || !root.isObject() || !root.path("callers").isArray()) {
            problems.add(file + ": must hold a list under 'callers:'");
            return List.of();
        }
        List<AuthProperties.CallerConfig> entries = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.get("callers")) {
            String where = file + ": callers[" + index++ + "]";
            if (!node.isObject()) {
                problems.add(where + ": must be a mapping");
                continue;
            }
            for (String field : node.propertyNames()) {
                if (!FIELDS.contains(field)) {
                    problems.add(where + "." + field + ": unknown field; known: " + FIELDS);
                }
            }
            List<String> scopes = new ArrayList<>();
            node.path("scopes").forEach(scope -> scopes.add(scope.asString()));
            JsonNode rate = node.get("trigger-rate");
            entries.add(new AuthProperties.CallerConfig(
                    text(node, "name"),
                    text(node, "token"),
                    text(node, "token-sha256"),
                    scopes,
                    rate == null
                            ? null
                            : new AuthProperties.TriggerRateConfig(
                                    rate.path("per-second").asDouble(0),
                                    rate.path("burst").asInt(0))));
        }
        return CallerConfigs.known(entries, file + ": callers", problems);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
