package io.batchgate.catalog.jp1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class Jp1ImportCommandTests {

    @TempDir
    Path dir;

    @Test
    void exitsZeroWhenEverythingWasMovedAndOneWhenTheReportListsItems() {
        Jp1Run all = Jp1Run.into(dir.resolve("a"), List.of(), Jp1Run.corpus("japanese.ajsprint"));
        Jp1Run some = Jp1Run.into(dir.resolve("b"), List.of(), Jp1Run.corpus("sample-night.ajsprint"));

        assertThat(all.exitCode()).isEqualTo(Jp1ImportCommand.ALL_MAPPED);
        assertThat(all.out()).contains("0 item(s) not moved or moved in part");
        assertThat(some.exitCode()).isEqualTo(Jp1ImportCommand.INCOMPLETE);
        assertThat(some.out())
                .isEqualTo("jp1-import: wrote {jobs=8, nets=3, schedules=2, calendars=1} to " + dir.resolve("b")
                        + "; 2 item(s) not moved or moved in part: see " + dir.resolve("b/import-report.md") + "\n");
    }

    @Test
    void readsSeveralFilesIntoOneCatalog() throws IOException {
        Jp1Run run = Jp1Run.into(
                dir.resolve("out"), List.of(), Jp1Run.corpus("sample-night.ajsprint"), Jp1Run.corpus("flow.ajsprint"));

        assertThat(run.exitCode()).isEqualTo(Jp1ImportCommand.INCOMPLETE);
        assertThat(Files.exists(dir.resolve("out/night-billing.yaml"))).isTrue();
        assertThat(Files.exists(dir.resolve("out/flow-judged.net.yaml"))).isTrue();
        assertThat(Files.readString(dir.resolve("out/import-report.json")))
                .contains("\"file\": \"src/test/resources/jp1/flow.ajsprint\", \"encoding\": \"UTF-8\"");
    }

    @Test
    void theJsonReportListsEveryFindingWithItsPlace() throws IOException {
        Jp1Run.into(dir.resolve("out"), List.of(), Jp1Run.corpus("jobs.ajsprint"));

        JsonNode report = new ObjectMapper()
                .readTree(dir.resolve("out/import-report.json").toFile());

        assertThat(report.get("exitCode").asInt()).isEqualTo(Jp1ImportCommand.INCOMPLETE);
        JsonNode held = null;
        for (JsonNode finding : report.get("findings")) {
            if (finding.get("unit").asString().equals("/JOBS/FIELDS/HELD")
                    && finding.get("field").asString().equals("ha")) {
                held = finding;
            }
        }
        assertThat(held).isNotNull();
        assertThat(held.get("file").asString()).isEqualTo("src/test/resources/jp1/jobs.ajsprint");
        assertThat(held.get("line").asInt()).isEqualTo(82);
        assertThat(held.get("severity").asString()).isEqualTo("UNMAPPED");
        assertThat(report.get("units")).hasSize(15);
    }

    @Test
    void jobsOnlyWritesNoNetsSchedulesOrCalendars() throws IOException {
        Jp1Run run = Jp1Run.into(dir.resolve("out"), List.of("--jobs-only"), Jp1Run.corpus("sample-night.ajsprint"));

        assertThat(run.exitCode()).isEqualTo(Jp1ImportCommand.INCOMPLETE);
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "night-billing.yaml", "night-monthend.yaml", "import-report.md", "import-report.json");
        }
    }

    @Test
    void checksTheWrittenJobsWithTheCatalogLoader() {
        Jp1Run run = Jp1Run.into(
                dir.resolve("out"),
                List.of("--ecs-cluster", "c", "--task-definition", "not a family!"),
                Jp1Run.corpus("japanese.ajsprint"));

        assertThat(run.exitCode()).isEqualTo(Jp1ImportCommand.INCOMPLETE);
        assertThat(run.errLines())
                .hasSize(2)
                .allMatch(line -> line.startsWith(
                                "jp1-import: the written catalog does not load: u-67865a31-u-ae020f5d.yaml:")
                        && line.endsWith(".ecs.taskDefinition: must be a task definition family, family:revision or"
                                + " ARN, found 'not a family!'"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(Jp1Run.of().exitCode()).isEqualTo(Jp1ImportCommand.UNREADABLE);
        assertThat(Jp1Run.of("--bogus", "x").err()).startsWith("jp1-import: unknown option --bogus\nusage:");
        assertThat(Jp1Run.of("--ecs-cluster", "c", "f").err())
                .startsWith("jp1-import: --ecs-cluster and --task-definition go together");
        assertThat(Jp1Run.of("--time-zone", "Mars/Olympus", "f").err())
                .startsWith("jp1-import: unknown time zone Mars/Olympus");
        Jp1Run missing = Jp1Run.into(
                dir.resolve("out"), List.of(), dir.resolve("nope.ajsprint").toString());
        assertThat(missing.exitCode()).isEqualTo(Jp1ImportCommand.UNREADABLE);
        assertThat(missing.errLines().get(0)).startsWith(dir.resolve("nope.ajsprint") + ":0:0: cannot read: ");
    }
}
