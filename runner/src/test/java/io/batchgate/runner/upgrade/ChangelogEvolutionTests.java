package io.batchgate.runner.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The changelog only grows in ways a rolling deploy survives (README, "Upgrading and rolling
 * deploys"): the released changesets are kept exactly as they were, and every changeset added since
 * the last release only adds what the previous release's code ignores — tables, indexes, columns it
 * may leave out of its INSERTs. Anything else (drop, rename, a NOT NULL column without a default, a
 * changed type) needs the expand/contract steps the README describes, and this test to be told why.
 */
class ChangelogEvolutionTests {

    /** The newest frozen release: upgrades start from there. */
    static final String LAST_RELEASE = "/upgrade/0.1/batchgate-changelog.yaml";

    private static final Set<String> ADDITIVE = Set.of("createTable", "createIndex", "addColumn", "insert");

    /** Constraints the previous release cannot notice when they are on a table created since it. */
    private static final Set<String> ON_NEW_TABLES_ONLY =
            Set.of("addPrimaryKey", "addUniqueConstraint", "addForeignKeyConstraint");

    @Test
    void theReleasedChangeSetsAreKeptAsTheyWere() throws IOException {
        List<Map<String, Object>> released = changeSets(LAST_RELEASE);
        List<Map<String, Object>> current = changeSets("/db/changelog/batchgate-changelog.yaml");
        assertThat(released).isNotEmpty();
        assertThat(current.subList(0, Math.min(current.size(), released.size())))
                .as("the released changesets, in their order and unchanged (Liquibase refuses a changed"
                        + " checksum at start-up); new changesets go at the end")
                .isEqualTo(released);
    }

    @Test
    void changeSetsSinceTheLastReleaseOnlyAdd() throws IOException {
        List<Map<String, Object>> current = changeSets("/db/changelog/batchgate-changelog.yaml");
        List<Map<String, Object>> added =
                current.subList(changeSets(LAST_RELEASE).size(), current.size());
        assertThat(added).as("round two's changesets at least").isNotEmpty();
        assertThat(notAdditive(added))
                .as("changes a replica of the previous release cannot run beside (see the README's"
                        + " expand/contract steps)")
                .isEmpty();
    }

    @Test
    void dropsAndNotNullColumnsWithoutADefaultAreRefused() {
        Map<String, Object> nullable = Map.of("column", Map.of("name", "a", "type", "int"));
        Map<String, Object> withDefault = Map.of(
                "column",
                Map.of("name", "b", "type", "int", "defaultValueNumeric", 0, "constraints", Map.of("nullable", false)));
        Map<String, Object> notNull =
                Map.of("column", Map.of("name", "c", "type", "int", "constraints", Map.of("nullable", false)));
        List<Map<String, Object>> changeSets = List.of(
                Map.of(
                        "id",
                        "fine-1",
                        "changes",
                        List.of(Map.of(
                                "addColumn", Map.of("tableName", "t", "columns", List.of(nullable, withDefault))))),
                Map.of(
                        "id",
                        "bad-1",
                        "changes",
                        List.of(
                                Map.of("addColumn", Map.of("tableName", "t", "columns", List.of(notNull))),
                                Map.of("dropColumn", Map.of("tableName", "t", "columnName", "a")))),
                Map.of(
                        "id",
                        "new-table-1",
                        "changes",
                        List.of(
                                Map.of("createTable", Map.of("tableName", "n", "columns", List.of(nullable))),
                                Map.of("addPrimaryKey", Map.of("tableName", "n", "columnNames", "a")),
                                Map.of("addUniqueConstraint", Map.of("tableName", "t", "columnNames", "a")))));
        assertThat(notAdditive(changeSets))
                .containsExactly(
                        "bad-1: NOT NULL column c without a default (the previous release's INSERTs leave it out)",
                        "bad-1: dropColumn",
                        "new-table-1: addUniqueConstraint on t, a table the previous release writes");
    }

    @SuppressWarnings("unchecked")
    static List<String> notAdditive(List<Map<String, Object>> changeSets) {
        List<String> refused = new ArrayList<>();
        Set<String> newTables = new HashSet<>();
        for (Map<String, Object> changeSet : changeSets) {
            for (Map<String, Object> change : (List<Map<String, Object>>) changeSet.get("changes")) {
                String type = change.keySet().iterator().next();
                Map<String, Object> body = (Map<String, Object>) change.get(type);
                if (type.equals("createTable")) {
                    newTables.add((String) body.get("tableName"));
                }
                if (ON_NEW_TABLES_ONLY.contains(type)) {
                    if (!newTables.contains((String) body.get("tableName"))) {
                        refused.add(changeSet.get("id") + ": " + type + " on " + body.get("tableName")
                                + ", a table the previous release writes");
                    }
                } else if (!ADDITIVE.contains(type)) {
                    refused.add(changeSet.get("id") + ": " + type);
                } else if (type.equals("addColumn")) {
                    for (Map<String, Object> entry : (List<Map<String, Object>>) body.get("columns")) {
                        Map<String, Object> column = (Map<String, Object>) entry.get("column");
                        Map<String, Object> constraints =
                                (Map<String, Object>) column.getOrDefault("constraints", Map.of());
                        boolean notNull = Boolean.FALSE.equals(constraints.get("nullable"));
                        boolean hasDefault = column.keySet().stream().anyMatch(key -> key.startsWith("defaultValue"));
                        if (notNull && !hasDefault) {
                            refused.add(changeSet.get("id") + ": NOT NULL column " + column.get("name")
                                    + " without a default (the previous release's INSERTs leave it out)");
                        }
                    }
                }
            }
        }
        return refused;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> changeSets(String resource) throws IOException {
        try (InputStream in = ChangelogEvolutionTests.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Map<String, Object> changelog = (Map<String, Object>)
                    new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromInputStream(in);
            return ((List<Map<String, Object>>) changelog.get("databaseChangeLog"))
                    .stream()
                            .map(entry -> (Map<String, Object>) entry.get("changeSet"))
                            .toList();
        }
    }
}
