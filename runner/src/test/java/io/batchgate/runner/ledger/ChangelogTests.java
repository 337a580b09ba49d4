package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Liquibase changelog read strictly. Liquibase's own YAML reader lets a duplicated key win
 * silently, which is how a merge once swallowed a whole changeset (its table was never created).
 */
class ChangelogTests {

    @Test
    @SuppressWarnings("unchecked")
    void everyChangeSetIsItsOwnEntryWithAUniqueId() throws Exception {
        Map<String, Object> changelog;
        try (InputStream in = getClass().getResourceAsStream("/db/changelog/batchgate-changelog.yaml")) {
            // duplicate keys are an error with these settings
            changelog = (Map<String, Object>)
                    new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromInputStream(in);
        }
        List<Map<String, Object>> entries = (List<Map<String, Object>>) changelog.get("databaseChangeLog");
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> entry : entries) {
            assertThat(entry.keySet()).containsExactly("changeSet");
            Map<String, Object> changeSet = (Map<String, Object>) entry.get("changeSet");
            assertThat(changeSet).containsKeys("id", "author", "changes");
            assertThat(ids.add((String) changeSet.get("id")))
                    .as("changeSet id %s is unique", changeSet.get("id"))
                    .isTrue();
        }
        assertThat(ids).contains("jobctl-4", "monitor-1", "logs-attempt-log-1");
    }
}
