package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.ecs.EcsTaskRuntime;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/** A catalog of simulator jobs and the settings that point the ECS runtime at the simulator. */
final class EcsTestSupport {

    static final String SIM_JOBS = """
            jobs:
              sim:
                description: An ECS task in the simulator; SIM_* says how it ends.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_EXIT_CODE: { type: int, min: 0, max: 255, default: "0" }
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                  SIM_STOP_REASON: { type: string, maxLength: 200 }
                  BLOB: { type: string, maxLength: 4096 }
                  BLOB2: { type: string, maxLength: 4096 }
                  TOKEN: { type: string, secret: true }
                exitCodes: { success: [0], warning: [3] }
              vault:
                description: Gets its password by reference (secrets:), never through batchgate.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  TARGET: { type: enum, values: [prod, test], required: true }
                secrets:
                  DB_PASSWORD: arn:aws:secretsmanager:us-east-1:123456789012:secret:billing/${TARGET}
              nowhere:
                description: Names a cluster that does not exist.
                ecs: { cluster: nowhere, taskDefinition: "sim-task:1", container: app }
            """;

    private EcsTestSupport() {}

    static EcsSimulator simulator() {
        return EcsSimulator.start().addCluster("batch").registerTaskDefinition("sim-task", 1, List.of("app"));
    }

    static Path catalog(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("sim.yaml"), SIM_JOBS);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spring Boot arguments that run jobs on the ECS runtime, against the simulator. */
    static List<String> arguments(EcsSimulator sim, Path dataDir) {
        List<String> arguments = new ArrayList<>(TestDatabases.selectedDatabaseArguments(dataDir));
        arguments.addAll(List.of(
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog(dataDir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                // bursts of hundreds of triggers test ECS's limits, not the caller's trigger rate
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000",
                "--batchgate.runtime.default=ecs",
                "--batchgate.runtime.ecs.enabled=true",
                "--batchgate.runtime.ecs.endpoint=" + sim.endpoint(),
                "--batchgate.runtime.ecs.track-interval=100ms",
                "--batchgate.launch.infra-retry.initial-backoff=50ms",
                "--batchgate.launch.infra-retry.max-backoff=200ms",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        return arguments;
    }

    /**
     * Does what the launcher does up to the moment a crash would hurt most: the run is claimed
     * (LAUNCHING) and RunTask has started its task, but the task's ARN was never recorded.
     */
    static RunId launchWithoutRecordingTheTask(ConfigurableApplicationContext context) {
        RunLedger ledger = context.getBean(RunLedger.class);
        TransactionTemplate tx = context.getBean(TransactionTemplate.class);
        JobDefinition job =
                context.getBean(CurrentCatalog.class).get().job("sim").orElseThrow();
        Map<String, String> params = Map.of("SIM_RUN_MS", "500", "SIM_EXIT_CODE", "0");
        Run run = Run.accept(
                RunId.next(System.currentTimeMillis(), new Random()),
                "sim",
                context.getBean(CurrentCatalog.class).get().version(),
                params,
                Set.of(),
                "ci",
                null,
                Instant.now());
        Attempt attempt = run.claim(EcsTaskRuntime.NAME, Instant.now());
        tx.executeWithoutResult(status -> ledger.insert(run));
        AttemptRef ref = new AttemptRef(run.id(), attempt.number());
        StartResult result = context.getBean(EcsTaskRuntime.class)
                .start(new TaskLaunch(ref, 1, job, RunLauncher.environment(run.id(), "sim", 1, params)));
        assertThat(result).isInstanceOf(StartResult.Started.class);
        assertThat(ledger.get(run.id()).status()).isEqualTo(RunStatus.LAUNCHING);
        return run.id();
    }
}
