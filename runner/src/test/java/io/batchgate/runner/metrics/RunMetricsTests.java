package io.batchgate.runner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMetricsTests {

    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CurrentCatalog catalog;
    private RunMetrics metrics;
    private final Random random = new Random(7);

    @BeforeEach
    void catalogWithOneJob() throws Exception {
        Files.writeString(dir.resolve("jobs.yaml"), """
                jobs:
                  nightly:
                    local: { command: ["true"] }
                """);
        catalog = new CurrentCatalog(dir, new CatalogLoader());
        metrics = new RunMetrics(meters, new JobTags(catalog));
    }

    @Test
    void aRunThatSucceedsIsCountedAndTimedUnderItsJob() {
        Run run = accepted("nightly");
        run.claim("local", Timeouts.defaults(), T0.plusSeconds(2));
        run.started(new TaskHandle("local", "1@1"), T0.plusSeconds(3));
        run.finished(TaskExit.code(0), ExitCodePolicy.defaults(), T0.plusSeconds(13));
        tell(run);

        assertThat(meters.get("batchgate.runs.accepted")
                        .tag("job", "nightly")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("batchgate.runs.started")
                        .tag("job", "nightly")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("batchgate.runs.finished")
                        .tags("job", "nightly", "outcome", "succeeded")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("batchgate.runs.queue.wait")
                        .tag("job", "nightly")
                        .timer()
                        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .as("accepted at T0, launched at T0+3s")
                .isEqualTo(3000);
        assertThat(meters.get("batchgate.attempts.duration")
                        .tag("job", "nightly")
                        .timer()
                        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(10_000);
        assertThat(meters.get("batchgate.attempts.exits")
                        .tags("job", "nightly", "code", "0")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("batchgate.attempts.duration")
                        .tag("job", "nightly")
                        .timer()
                        .takeSnapshot()
                        .histogramCounts())
                .as("a fixed, small set of buckets per job")
                .hasSize(RunMetrics.ATTEMPT_BUCKETS.length)
                .filteredOn(bucket -> bucket.bucket(java.util.concurrent.TimeUnit.SECONDS) == 15)
                .singleElement()
                .satisfies(bucket -> assertThat(bucket.count())
                        .as("10 s is within the 15 s bucket")
                        .isEqualTo(1));
    }

    @Test
    void anUnknownJobNameCreatesNoSeriesOfItsOwn() {
        Run run = accepted("not-in-any-catalog");
        run.claim("local", Timeouts.defaults(), T0);
        run.started(new TaskHandle("local", "1@1"), T0.plusSeconds(1));
        run.finished(TaskExit.code(3), ExitCodePolicy.defaults(), T0.plusSeconds(2));
        tell(run);

        List<String> jobValues = meters.getMeters().stream()
                .map(Meter::getId)
                .map(id -> id.getTag("job"))
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        assertThat(jobValues).containsExactly(JobTags.OTHER);
        assertThat(meters.get("batchgate.runs.finished")
                        .tags("job", JobTags.OTHER, "outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aJobAddedByAReloadGetsItsOwnSeries() throws Exception {
        Files.writeString(dir.resolve("more.yaml"), """
                jobs:
                  added:
                    local: { command: ["true"] }
                """);
        assertThat(catalog.reload()).isInstanceOf(CurrentCatalog.Reload.Swapped.class);
        tell(accepted("added"));
        assertThat(meters.get("batchgate.runs.accepted")
                        .tag("job", "added")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void exitCodesKeepTheirMeaningfulValuesAndGroupTheRest() {
        assertThat(List.of(0, 1, 31, 42, 75, 125, 127, 137, 143, 200, 255, 256, -1).stream()
                        .map(ExitCodeTag::of)
                        .toList())
                .containsExactly(
                        "0", "1", "31", "other", "75", "other", "127", "137", "143", "other", "255", "other", "other");
    }

    private Run accepted(String job) {
        return Run.accept(RunId.next(T0.toEpochMilli(), random), job, "v", Map.of(), Set.of(), "ci", null, T0);
    }

    private void tell(Run run) {
        for (RunEvent event : run.events()) {
            metrics.on(event);
        }
    }
}
