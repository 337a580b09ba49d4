package io.batchgate.runner.runtime.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.RetryPolicy;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orphan scan's view of the ledger, on H2 and MariaDB: a task is batchgate's while its attempt
 * is active, and stays known once that attempt recorded its end — but not after its record was lost.
 */
class EcsTaskOwnersTests {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:task/batch/";
    private final Random random = new Random();

    private RunLedger ledger(String database) {
        String url = database.equals("mariadb") ? TestDatabases.newMariaDbDatabase() : TestDatabases.newH2Database();
        return new RunLedger(
                JdbcClient.create(TestDatabases.migrated(url)),
                JsonMapper.builder().build());
    }

    /** A run whose first attempt is claimed, stored, then changed by {@code change} (stored again). */
    private RunId run(RunLedger ledger, Consumer<Run> change) {
        Run run = Run.accept(RunId.next(T0.toEpochMilli(), random), "sim", "v", Map.of(), Set.of(), "ci", null, T0);
        run.claim("ecs", T0);
        ledger.insert(run);
        Run stored = ledger.get(run.id());
        change.accept(stored);
        ledger.update(stored);
        return run.id();
    }

    private static void started(Run run, String task) {
        run.started(new TaskHandle("ecs", ARN + task), Timeouts.defaults(), T0.plusSeconds(1));
    }

    private static void ended(Run run, TaskExit exit) {
        run.finished(exit, ExitCodePolicy.defaults(), RetryPolicy.none(), n -> Duration.ZERO, T0.plusSeconds(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aTaskIsKnownWhileItsAttemptIsActiveAndAfterItsAttemptRecordedItsEnd(String database) {
        RunLedger ledger = ledger(database);
        EcsTaskOwners owners = new EcsTaskOwners(ledger);
        RunId launching = run(ledger, run -> {});
        RunId running = run(ledger, run -> started(run, "a"));
        RunId exited = run(ledger, run -> {
            started(run, "b");
            ended(run, TaskExit.code(0));
        });
        RunId lostRecord = run(ledger, run -> {
            started(run, "c");
            ended(run, TaskExit.recordLost("task record lost"));
        });

        assertThat(owners.owns(launching.value(), 1, ARN + "x"))
                .as("mid-launch: no handle yet")
                .isTrue();
        assertThat(owners.owns(running.value(), 1, ARN + "a")).isTrue();
        assertThat(owners.owns(running.value(), 1, ARN + "other")).isFalse();
        assertThat(owners.owns(running.value(), 2, ARN + "a")).isFalse();
        assertThat(owners.owns(exited.value(), 1, ARN + "b"))
                .as("ended, its end recorded")
                .isTrue();
        assertThat(owners.owns(exited.value(), 1, ARN + "other")).isFalse();
        assertThat(owners.owns(lostRecord.value(), 1, ARN + "c"))
                .as("record lost: unknown")
                .isFalse();
        assertThat(owners.owns(RunId.next(T0.toEpochMilli(), random).value(), 1, ARN + "a"))
                .isFalse();
        assertThat(owners.owns("not-a-run-id", 1, ARN + "a")).isFalse();
    }
}
