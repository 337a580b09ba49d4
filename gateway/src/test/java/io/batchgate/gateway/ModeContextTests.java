package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.runtime.RuntimeProperties;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.testing.TestDatabases;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Which beans each mode creates: the whole application (its {@code application.yaml}, profiles,
 * component scan and auto-configuration) refreshed without a web server, on a new database (H2 in
 * memory, or MariaDB in the {@code sql} rerun: start-up migrates and writes it). There is no
 * runner-only mode: every replica serves the API.
 */
@Tag("sql")
class ModeContextTests {

    /** What only a runner does: consume launch messages, take over attempts, enforce timeouts. */
    private static final List<String> RUNNER_ONLY_BEANS = List.of(
            "runMessageListener",
            "runnerRecovery",
            "recoverActiveAttempts",
            "workAdoption",
            "workAdoptionLoop",
            "deadlineSweeper",
            "deadlineLoop",
            "abandonedRunSweeper",
            "abandonedRunLoop",
            "secretScrubSweeper",
            "catalogVersionPruning",
            "netSweepLoop");

    /** What every replica needs: accept and cancel runs, send their launch messages. */
    private static final List<String> EVERY_REPLICA_BEANS = List.of(
            "admission",
            "runCanceller",
            "outboxRelay",
            "runLedger",
            "outbox",
            "taskRuntimes",
            "runWaiters",
            "netRuns",
            "netTrigger");

    private static final String TOKEN_SHA256 = "a".repeat(64);

    @TempDir
    Path dataDir;

    private SQSRestServer sqsServer;
    private URI sqsEndpoint;
    private EcsSimulator ecs;
    private CloudWatchLogsSimulator cloudWatch;

    private final boolean mariaDb = TestDatabases.mariaDbSelected();
    private final String database = TestDatabases.newSelectedDatabase();

    @BeforeAll
    static void selectedDatabase() {
        TestDatabases.assumeSelectedDatabase();
    }

    @BeforeEach
    void outsideServers() {
        sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .start();
        sqsEndpoint = URI.create("http://127.0.0.1:"
                + sqsServer.waitUntilStarted().localAddress().getPort());
        try (SqsClient sqs = SqsClient.builder()
                .endpointOverride(sqsEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .build()) {
            sqs.createQueue(r -> r.queueName("prod-runs"));
            sqs.createQueue(r -> r.queueName("prod-ecs-events"));
        }
        ecs = EcsTestSupport.simulator();
        cloudWatch = CloudWatchLogsSimulator.start();
    }

    @AfterEach
    void stopServers() {
        cloudWatch.close();
        ecs.close();
        sqsServer.stopAndWait();
    }

    private WebApplicationContextRunner application() {
        return new WebApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(BatchgateApplication.class)
                .withPropertyValues(
                        "batchgate.data-dir=" + dataDir,
                        "spring.datasource.url=" + database,
                        "spring.datasource.username=" + (mariaDb ? TestDatabases.MARIADB_USER : "sa"),
                        "spring.datasource.password=" + (mariaDb ? TestDatabases.MARIADB_PASSWORD : ""),
                        "spring.cloud.aws.sqs.listener.poll-timeout=1s");
    }

    /** The production profile against servers outside the application: no call reaches AWS. */
    private WebApplicationContextRunner aws() {
        return application()
                .withPropertyValues(
                        "spring.profiles.active=aws",
                        "BATCHGATE_TOKEN_SHA256=" + TOKEN_SHA256,
                        "BATCHGATE_SECRETS_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                        "batchgate.catalog.dir=" + EcsTestSupport.catalog(dataDir.resolve("catalog")),
                        "batchgate.queue.name=prod-runs",
                        "batchgate.runtime.ecs.endpoint=" + ecs.endpoint(),
                        "batchgate.runtime.ecs.region=us-east-1",
                        "batchgate.logs.cloudwatch.endpoint=" + cloudWatch.endpoint(),
                        "batchgate.logs.cloudwatch.region=us-east-1",
                        "spring.cloud.aws.sqs.endpoint=" + sqsEndpoint,
                        "spring.cloud.aws.region.static=us-east-1",
                        "spring.cloud.aws.credentials.access-key=test",
                        "spring.cloud.aws.credentials.secret-key=test");
    }

    @Test
    void allInOneByDefault() {
        application().run(context -> {
            assertStarted(context);
            assertHas(context, RUNNER_ONLY_BEANS);
            assertHas(context, EVERY_REPLICA_BEANS);
            assertHas(context, List.of("elasticMq", "embeddedQueueStarter", "localProcessRuntime", "noMonitor"));
            assertHasNot(
                    context,
                    List.of(
                            "ecsTaskRuntime",
                            "ecsAsyncClient",
                            "ecsTaskTracker",
                            "cloudWatchLogsClient",
                            "runMessageForwarder",
                            "healthchecksPinger",
                            "selfHeartbeat"));
        });
    }

    @Test
    void gatewayOnlyNeitherConsumesNorRunsTasks() {
        application().withPropertyValues("batchgate.runner.enabled=false").run(context -> {
            assertStarted(context);
            assertHasNot(context, RUNNER_ONLY_BEANS);
            assertHas(context, EVERY_REPLICA_BEANS);
            assertHas(context, List.of("elasticMq"));
        });
    }

    @Test
    void awsProfileUsesSqsEcsAndCloudWatchInsteadOfTheEmbeddedParts() {
        aws().withPropertyValues(
                        "batchgate.logs.cloudwatch.enabled=true", "batchgate.runtime.ecs.events-queue=prod-ecs-events")
                .run(context -> {
                    assertStarted(context);
                    assertHas(context, RUNNER_ONLY_BEANS);
                    assertHas(context, EVERY_REPLICA_BEANS);
                    assertHas(
                            context,
                            List.of(
                                    "sqsAsyncClient",
                                    "queueUrl",
                                    "ecsAsyncClient",
                                    "ecsTaskRuntime",
                                    "ecsTaskTracker",
                                    "ecsOrphanScanner",
                                    "ecsEventListener",
                                    "ecsLogStreamRecorder",
                                    "ecsFinalLogDrains",
                                    "cloudWatchLogsClient",
                                    "cloudWatchLogStore",
                                    "cloudWatchLogForwarder",
                                    "runMessageForwarder",
                                    "localOutputForwarding"));
                    assertHasNot(context, List.of("elasticMq", "embeddedQueueStarter"));
                    assertThat(context.getBean(RuntimeProperties.class).defaultRuntime())
                            .isEqualTo("ecs");
                });
    }

    @Test
    void awsProfileWithoutCloudWatchHasNoLogAdapter() {
        aws().run(context -> {
            assertStarted(context);
            assertHas(context, List.of("ecsTaskRuntime", "ecsTaskTracker"));
            assertHasNot(
                    context,
                    List.of(
                            "cloudWatchLogsClient",
                            "cloudWatchLogForwarder",
                            "ecsLogStreamRecorder",
                            "ecsFinalLogDrains",
                            "ecsEventListener",
                            "elasticMq"));
        });
    }

    /**
     * A gateway-only replica on AWS keeps the ECS runtime (cancel stops a task from the replica
     * that receives the request) and the forwarder of its runs' messages, but tracks no task and
     * drains no log.
     */
    @Test
    void gatewayOnlyOnAwsTracksNoTasks() {
        aws().withPropertyValues(
                        "batchgate.runner.enabled=false",
                        "batchgate.logs.cloudwatch.enabled=true",
                        "batchgate.runtime.ecs.events-queue=prod-ecs-events")
                .run(context -> {
                    assertStarted(context);
                    assertHasNot(context, RUNNER_ONLY_BEANS);
                    assertHas(context, EVERY_REPLICA_BEANS);
                    assertHas(context, List.of("ecsTaskRuntime", "cloudWatchLogForwarder", "runMessageForwarder"));
                    assertHasNot(
                            context,
                            List.of("ecsTaskTracker", "ecsFinalLogDrains", "localOutputForwarding", "elasticMq"));
                });
    }

    @Test
    void aBadValueStopsStartUpNamingTheKey() {
        application()
                .withPropertyValues("batchgate.runner.deadline-interval=0s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("batchgate.runner.deadline-interval must be positive, was PT0S"));
    }

    private static void assertStarted(AssertableWebApplicationContext context) {
        assertThat(context).hasNotFailed();
    }

    private static void assertHas(AssertableWebApplicationContext context, List<String> beans) {
        assertThat(beans).allSatisfy(bean -> assertThat(context).hasBean(bean));
    }

    private static void assertHasNot(AssertableWebApplicationContext context, List<String> beans) {
        assertThat(beans).allSatisfy(bean -> assertThat(context).doesNotHaveBean(bean));
    }
}
