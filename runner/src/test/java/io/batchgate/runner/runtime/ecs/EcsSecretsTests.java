package io.batchgate.runner.runtime.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.ledger.LockConflictRetryingTransactions;
import io.batchgate.runner.quota.LaunchBucket;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.ecs.sim.SharedNettyClient;
import io.batchgate.runner.runtime.ecs.sim.SimTask;
import io.batchgate.runner.runtime.ecs.sim.SimTaskDefinition;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;

/**
 * A job's {@code secrets} reach ECS as a task definition revision batchgate registers from the
 * catalog's (RunTask overrides cannot carry secrets), against the ECS wire simulator with the real
 * SDK client, and the revision table on H2 and MariaDB.
 */
@Tag("sql")
class EcsSecretsTests {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:billing/";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final Random random = new Random();
    private EcsSimulator sim;
    private EcsAsyncClient ecs;
    private DataSource dataSource;
    private Catalog catalog;

    @RegisterExtension
    static final SharedNettyClient HTTP = new SharedNettyClient();

    @BeforeEach
    void setUp() {
        sim = EcsSimulator.start(clock)
                .addCluster("batch")
                .registerTaskDefinition("sim-task", 1, List.of("app", "sidecar"));
        ecs = sim.client(HTTP.get());
        dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        catalog = TestCatalogs.load(dir.resolve("catalog"), """
                jobs:
                  billing:
                    ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                    params:
                      TARGET: { type: enum, values: [prod, test], required: true }
                      SIM_RUN_MS: { type: int, min: 0 }
                    secrets:
                      DB_PASSWORD: arn:aws:secretsmanager:us-east-1:123456789012:secret:billing/${TARGET}
                      SMTP: arn:aws:ssm:us-east-1:123456789012:parameter/smtp
                  latest:
                    ecs: { cluster: batch, taskDefinition: sim-task, container: app }
                    secrets:
                      DB_PASSWORD: arn:aws:secretsmanager:us-east-1:123456789012:secret:billing/prod
                """);
    }

    @AfterEach
    void tearDown() {
        ecs.close();
        sim.close();
    }

    /**
     * The application's transactions: READ COMMITTED (its pools refuse weaker) and run again after
     * a lock conflict. Two replicas creating the bucket's row at once may deadlock otherwise.
     */
    private TransactionTemplate transactions() {
        LockConflictRetryingTransactions tx = new LockConflictRetryingTransactions(
                new DataSourceTransactionManager(dataSource),
                8,
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                new Random(5),
                new SimpleMeterRegistry());
        tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        return tx;
    }

    private DerivedTaskDefinitions derived() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        LaunchBucket bucket = new LaunchBucket(
                "ecs:register-task-definition", 1, 5, Duration.ofSeconds(10), jdbc, transactions(), clock);
        return new DerivedTaskDefinitions(ecs, jdbc, bucket, Duration.ofSeconds(30), clock);
    }

    private EcsTaskRuntime runtime(DerivedTaskDefinitions derived) {
        EcsRuntimeProperties properties = new EcsRuntimeProperties(
                true,
                "us-east-1",
                sim.endpoint(),
                20,
                100,
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                null,
                Duration.ZERO,
                false,
                1,
                5,
                Duration.ofDays(7));
        LaunchBucket runTask = new LaunchBucket(
                "ecs:run-task", 20, 100, Duration.ofSeconds(60), JdbcClient.create(dataSource), transactions(), clock);
        return new EcsTaskRuntime(ecs, properties, runTask, derived, (attempt, exit) -> {}, clock);
    }

    private SimTask launch(EcsTaskRuntime runtime, String job, String target) {
        JobDefinition definition = catalog.job(job).orElseThrow();
        AttemptRef attempt = new AttemptRef(RunId.next(clock.millis(), random), 1);
        Map<String, String> env =
                target == null ? Map.of("SIM_RUN_MS", "600000") : Map.of("TARGET", target, "SIM_RUN_MS", "600000");
        StartResult result = runtime.start(new TaskLaunch(attempt, definition, env));
        assertThat(result).isInstanceOf(StartResult.Started.class);
        TaskHandle handle = ((StartResult.Started) result).handle();
        return sim.task(handle.id()).orElseThrow();
    }

    private List<SimTaskDefinition> derivedRevisions() {
        return sim.taskDefinitions("sim-task-bgsecrets");
    }

    @Test
    void sameSecretsRegisterOnceAndEachEnumValueItsOwnRevision() {
        EcsTaskRuntime runtime = runtime(derived());

        SimTask first = launch(runtime, "billing", "prod");
        SimTask second = launch(runtime, "billing", "prod");
        SimTask other = launch(runtime, "billing", "test");

        assertThat(sim.registeredTaskDefinitionRequests()).hasSize(2);
        assertThat(first.taskDefinitionArn())
                .isEqualTo(second.taskDefinitionArn())
                .isEqualTo(derivedRevisions().get(0).arn())
                .endsWith(":task-definition/sim-task-bgsecrets:1");
        assertThat(other.taskDefinitionArn()).endsWith(":task-definition/sim-task-bgsecrets:2");
        // the catalog's family is untouched: "sim-task" still means revision 1
        assertThat(sim.taskDefinitions("sim-task")).hasSize(1);
    }

    @Test
    void theDerivedRevisionIsTheSourceWithTheContainersSecretsAdded() {
        launch(runtime(derived()), "billing", "test");

        String registered = sim.registeredTaskDefinitionRequests().get(0);
        assertThat(registered)
                .contains("\"family\":\"sim-task-bgsecrets\"")
                .contains("\"secrets\":[{\"name\":\"DB_PASSWORD\",\"valueFrom\":\"" + ARN + "test\"},"
                        + "{\"name\":\"SMTP\",\"valueFrom\":\"arn:aws:ssm:us-east-1:123456789012:parameter/smtp\"}]")
                .contains("\"key\":\"batchgate:secrets-hash\"");
        SimTaskDefinition revision = derivedRevisions().get(0);
        assertThat(revision.containers())
                .extracting(SimTaskDefinition.Container::name)
                .containsExactly("app", "sidecar");
        // the sidecar got no secrets, and the awslogs options were copied as they were
        assertThat(revision.registered().get("containerDefinitions").get(1).has("secrets"))
                .isFalse();
        assertThat(revision.containers().get(0).logOptions())
                .isEqualTo(sim.taskDefinitions("sim-task")
                        .get(0)
                        .containers()
                        .get(0)
                        .logOptions());
    }

    @Test
    void theRunTaskRequestCarriesNoSecretOnlyTheRevision() {
        SimTask task = launch(runtime(derived()), "billing", "prod");

        assertThat(task.env()).doesNotContainKeys("DB_PASSWORD", "SMTP");
        assertThat(task.env().values()).noneMatch(value -> value.contains("secretsmanager"));
        assertThat(task.taskDefinitionArn()).contains("sim-task-bgsecrets");
    }

    /**
     * What anyone with {@code ecs:DescribeTasks} or the EventBridge task-state events sees of a
     * task with secrets: its overrides (here the enum param) and the derived revision's ARN, but
     * neither the secrets' names nor where their values are kept, let alone a value.
     */
    @Test
    void describeTasksAndTaskStateEventsShowNoSecret() {
        SimTask task = launch(runtime(derived()), "billing", "prod");
        ecs.describeTasks(r -> r.cluster("batch").tasks(task.arn())).join();
        clock.advance(Duration.ofMinutes(11)); // SIM_RUN_MS=600000: the task has stopped
        ecs.describeTasks(r -> r.cluster("batch").tasks(task.arn())).join();
        List<String> events = sim.stateChangeEvents(task.arn());

        List<String> seen = new ArrayList<>(sim.describeTasksResponses());
        seen.addAll(events);
        assertThat(sim.describeTasksResponses()).hasSize(2);
        assertThat(events).anySatisfy(event -> assertThat(event).contains("\"lastStatus\":\"STOPPED\""));
        assertThat(seen)
                .as("the overrides are visible: what is looked at is where a value would show")
                .allSatisfy(json -> assertThat(json)
                        .contains("\"name\":\"TARGET\",\"value\":\"prod\"")
                        .contains("sim-task-bgsecrets"));
        assertThat(seen).allSatisfy(json -> assertThat(json)
                .doesNotContain("DB_PASSWORD")
                .doesNotContain("SMTP")
                .doesNotContain("secretsmanager")
                .doesNotContain("arn:aws:ssm"));
    }

    @Test
    void theDryRunListsTheSecretsReferences() {
        AttemptRef attempt = new AttemptRef(RunId.next(clock.millis(), random), 1);
        LaunchPreview preview = runtime(derived())
                .preview(new TaskLaunch(attempt, catalog.job("billing").orElseThrow(), Map.of("TARGET", "test")));

        assertThat(preview.request().get("secrets"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("container", "app")
                .containsEntry(
                        "valueFrom",
                        Map.of(
                                "DB_PASSWORD",
                                ARN + "test",
                                "SMTP",
                                "arn:aws:ssm:us-east-1:123456789012:parameter/smtp"));
        assertThat(sim.registeredTaskDefinitionRequests())
                .as("a dry run registers nothing")
                .isEmpty();
    }

    @Test
    void aRestartedRunnerReusesTheRevisionFromTheTable() {
        SimTask before = launch(runtime(derived()), "billing", "prod");

        SimTask after = launch(runtime(derived()), "billing", "prod");

        assertThat(sim.registeredTaskDefinitionRequests()).hasSize(1);
        assertThat(after.taskDefinitionArn()).isEqualTo(before.taskDefinitionArn());
    }

    @Test
    void parallelLaunchesOnTwoReplicasSettleOnOneRevision() throws Exception {
        List<EcsTaskRuntime> replicas = List.of(runtime(derived()), runtime(derived()));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SimTask>> launches = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                EcsTaskRuntime replica = replicas.get(i % 2);
                launches.add(() -> launch(replica, "billing", "prod"));
            }
            List<String> arns = new ArrayList<>();
            for (Future<SimTask> task : pool.invokeAll(launches)) {
                arns.add(task.get().taskDefinitionArn());
            }

            assertThat(arns).hasSize(8).containsOnly(arns.get(0));
            // a replica that lost the race deregistered its own revision
            assertThat(derivedRevisions()).filteredOn(SimTaskDefinition::active).hasSize(1);
            assertThat(sim.registeredTaskDefinitionRequests()).hasSizeLessThanOrEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSweeperDeregistersRevisionsUnusedForTheRetentionAndTheNextLaunchRegistersAgain() {
        DerivedTaskDefinitions derived = derived();
        EcsTaskRuntime runtime = runtime(derived);
        SimTask old = launch(runtime, "billing", "prod");
        clock.advance(Duration.ofDays(3));
        launch(runtime, "billing", "test");
        clock.advance(Duration.ofDays(5));

        assertThat(derived.sweep(Duration.ofDays(7))).isEqualTo(1);

        assertThat(derivedRevisions()).extracting(SimTaskDefinition::active).containsExactly(false, true);
        SimTask again = launch(runtime, "billing", "prod");
        assertThat(again.taskDefinitionArn())
                .isNotEqualTo(old.taskDefinitionArn())
                .endsWith("bgsecrets:3");
    }

    @Test
    void aFamilyReferenceFollowsItsLatestRevision() {
        EcsTaskRuntime runtime = runtime(derived());
        launch(runtime, "latest", null);
        sim.registerTaskDefinition("sim-task", 2, List.of("app"));

        launch(runtime, "latest", null);

        assertThat(sim.registeredTaskDefinitionRequests()).hasSize(2);
        assertThat(sim.registeredTaskDefinitionRequests().get(1)).doesNotContain("sidecar");
    }
}
