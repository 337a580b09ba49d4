package io.batchgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.GatewayIntegrationTests;
import io.batchgate.gateway.TestCaller;
import io.batchgate.runner.run.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console's read model against the real schema, on H2 and (second surefire run) MariaDB: its
 * filters, counts, paging, scope limits and timeline window, over runs admitted through the API.
 */
class ConsoleRunsTests extends GatewayIntegrationTests {

    @Autowired
    ConsoleRuns runs;

    private final String marker = letters(10);

    @Test
    void filtersCountsPagingAndScopes() {
        Instant before = Instant.now().minusSeconds(1);
        List<String> hello = List.of(
                api.trigger("hello", Map.of("GREETING", marker + " a")),
                api.trigger("hello", Map.of("GREETING", marker + " b")),
                api.trigger("hello", Map.of("GREETING", marker + " c")));
        String failed = api.trigger("exit-with", Map.of("CODE", "3"));
        hello.forEach(api::awaitFinal);
        api.awaitFinal(failed);

        RunFilter text = RunFilter.parse(null, null, null, null, null, marker);
        ConsoleRuns.Page page = runs.page(text, Optional.empty(), Optional.empty(), 2);
        assertThat(page.rows()).extracting(ConsoleRuns.RunRow::id).containsExactly(hello.get(2), hello.get(1));
        ConsoleRuns.Page next = runs.page(text, Optional.empty(), page.nextBefore(), 2);
        assertThat(next.rows()).extracting(ConsoleRuns.RunRow::id).containsExactly(hello.get(0));
        assertThat(next.nextBefore()).isEmpty();
        assertThat(runs.countsByStatus(text, Optional.empty())).containsExactly(Map.entry(RunStatus.SUCCEEDED, 3L));

        // the LIKE of the text filter takes % and _ literally
        RunFilter wildcard = RunFilter.parse(null, null, null, null, null, marker.substring(0, 3) + "%");
        assertThat(runs.page(wildcard, Optional.empty(), Optional.empty(), 10).rows())
                .isEmpty();

        RunFilter window = RunFilter.parse("exit-with", "FAILED", "ci", before.toString(), null, null);
        assertThat(runs.page(window, Optional.empty(), Optional.empty(), 50).rows())
                .extracting(ConsoleRuns.RunRow::id)
                .contains(failed)
                .doesNotContainAnyElementsOf(hello);
        RunFilter future = RunFilter.parse(
                null, null, null, Instant.now().plusSeconds(3600).toString(), null, null);
        assertThat(runs.page(future, Optional.empty(), Optional.empty(), 50).rows())
                .isEmpty();
        RunFilter otherCaller = RunFilter.parse(null, null, TestCaller.READER.callerName(), null, null, marker);
        assertThat(runs.countsByStatus(otherCaller, Optional.empty())).isEmpty();

        // a caller that may read only exit-* sees none of the hello runs, also not in the counts
        assertThat(runs.page(text, Optional.of(List.of("exit-*")), Optional.empty(), 50)
                        .rows())
                .isEmpty();
        assertThat(runs.countsByStatus(text, Optional.of(List.of("exit-*")))).isEmpty();
        assertThat(runs.page(text, Optional.of(List.of("hel*")), Optional.empty(), 50)
                        .rows())
                .hasSize(3);
    }

    @Test
    void theTextFilterLooksOnlyInTheNewestRunsOfTheOtherFilters(
            @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        String older = api.trigger("hello", Map.of("GREETING", marker + " old"));
        List<String> newer = List.of(
                api.trigger("exit-with", Map.of("CODE", "0")),
                api.trigger("exit-with", Map.of("CODE", "0")),
                api.trigger("hello", Map.of("GREETING", marker + " new")));
        ConsoleRuns windowOfThree = new ConsoleRuns(jdbc, 3);
        RunFilter text = RunFilter.parse(null, null, null, null, null, marker);
        assertThat(windowOfThree
                        .page(text, Optional.empty(), Optional.empty(), 50)
                        .rows())
                .extracting(ConsoleRuns.RunRow::id)
                .containsExactly(newer.get(2));
        // with a job chosen, the window holds only that job's runs, so the older one is reached
        RunFilter hello = RunFilter.parse("hello", null, null, null, null, marker);
        assertThat(windowOfThree
                        .page(hello, Optional.empty(), Optional.empty(), 50)
                        .rows())
                .extracting(ConsoleRuns.RunRow::id)
                .containsExactly(newer.get(2), older);
        // and the next page's window starts below its cursor
        assertThat(windowOfThree
                        .page(text, Optional.empty(), Optional.of(newer.get(0)), 50)
                        .rows())
                .extracting(ConsoleRuns.RunRow::id)
                .containsExactly(older);
    }

    @Test
    void theTimelineHasTheAttemptsOfItsWindow() {
        String other = api.trigger("hello", Map.of("GREETING", marker));
        String run = api.trigger("hello", Map.of("GREETING", marker));
        api.awaitFinal(other);
        api.awaitFinal(run);
        Instant now = Instant.now();
        ConsoleRuns.Attempts attempts =
                runs.attempts(now.minusSeconds(3600), now.plusSeconds(1), Optional.of("hello"), Optional.empty(), 400);
        assertThat(attempts.bars())
                .filteredOn(bar -> bar.runId().equals(run))
                .singleElement()
                .satisfies(bar -> {
                    assertThat(bar.number()).isEqualTo(1);
                    assertThat(bar.outcome()).isEqualTo("EXITED");
                    assertThat(bar.exitCode()).isZero();
                    assertThat(bar.runStatus()).isEqualTo(RunStatus.SUCCEEDED);
                });
        ConsoleRuns.Attempts later =
                runs.attempts(now.plusSeconds(60), now.plusSeconds(3600), Optional.of("hello"), Optional.empty(), 400);
        assertThat(later.bars()).noneMatch(bar -> bar.runId().equals(run));
        ConsoleRuns.Attempts capped =
                runs.attempts(now.minusSeconds(3600), now.plusSeconds(1), Optional.empty(), Optional.empty(), 1);
        assertThat(capped.bars()).hasSize(1);
        assertThat(capped.truncated()).isTrue();
        assertThat(runs.attempts(
                                now.minusSeconds(3600),
                                now.plusSeconds(1),
                                Optional.empty(),
                                Optional.of(List.of()),
                                400)
                        .bars())
                .isEmpty();
    }

    @Test
    void aRunIdPrefixIsTheTimeItsRunsWereCreated() {
        Instant at = Instant.parse("2026-12-03T10:15:30.123Z");
        String prefix = ConsoleRuns.idPrefix(at);
        String id = io.batchgate.runner.run.RunId.next(at.toEpochMilli(), new Random(1))
                .value();
        assertThat(id).startsWith(prefix);
        assertThat(ConsoleRuns.idPrefix(at.plusMillis(1)).compareTo(id)).isPositive();
        assertThat(prefix.compareTo(id)).isNegative();
    }

    private static String letters(int n) {
        Random random = new Random();
        return random.ints(n, 0, 26)
                .mapToObj(i -> String.valueOf((char) ('a' + i)))
                .collect(Collectors.joining());
    }
}
