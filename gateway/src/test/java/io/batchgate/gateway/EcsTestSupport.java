package io.batchgate.gateway;

import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        return List.of(
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog(dataDir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.runtime.default=ecs",
                "--batchgate.runtime.ecs.enabled=true",
                "--batchgate.runtime.ecs.endpoint=" + sim.endpoint(),
                "--batchgate.runtime.ecs.track-interval=100ms",
                "--batchgate.launch.infra-retry.initial-backoff=50ms",
                "--batchgate.launch.infra-retry.max-backoff=200ms",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s");
    }
}
