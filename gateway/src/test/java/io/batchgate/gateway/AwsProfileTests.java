package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.secrets.SecretSeal;
import io.batchgate.runner.secrets.kms.KmsSimulator;
import io.batchgate.runner.testing.TestDatabases;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;

/**
 * The production profile ({@code aws}) wired end to end: no embedded queue — Spring Cloud AWS's
 * own SQS client against an SQS server outside the application —, the ECS runtime by default
 * (here against the simulator), and the database from the environment (MariaDB when available).
 */
class AwsProfileTests {

    @TempDir
    Path dataDir;

    private SQSRestServer sqsServer;
    private URI sqsEndpoint;
    private EcsSimulator sim;

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
        }
        sim = EcsTestSupport.simulator();
    }

    @AfterEach
    void stopServers() {
        sim.close();
        sqsServer.stopAndWait();
    }

    private static final String SECRETS_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private List<String> arguments(String token) {
        String db = TestDatabases.mariaDbServerUrl().isPresent()
                ? TestDatabases.newMariaDbDatabase()
                : "jdbc:h2:file:" + dataDir.resolve("db") + "/batchgate";
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=aws",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + EcsTestSupport.catalog(dataDir.resolve("catalog")),
                "--batchgate.queue.name=prod-runs",
                "--BATCHGATE_TOKEN_SHA256=" + token,
                "--BATCHGATE_SECRETS_KEY=" + SECRETS_KEY,
                "--batchgate.runtime.ecs.endpoint=" + sim.endpoint(),
                "--batchgate.runtime.ecs.region=us-east-1",
                "--batchgate.runtime.ecs.track-interval=100ms",
                "--spring.cloud.aws.sqs.endpoint=" + sqsEndpoint,
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s",
                "--spring.datasource.url=" + db));
        if (db.startsWith("jdbc:mysql:")) {
            args.add("--spring.datasource.username=" + TestDatabases.MARIADB_USER);
            args.add("--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD);
        } else {
            args.add("--spring.datasource.username=sa");
            args.add("--spring.datasource.password=");
        }
        return args;
    }

    @Test
    void runsJobsOnEcsThroughAnSqsQueueOutsideTheApplication() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchgateApplication.class)
                .run(arguments(sha256Hex(GatewayTestSupport.TOKEN)).toArray(String[]::new))) {
            assertThat(context.containsBean("elasticMq")).isFalse();
            assertThat(dataDir.resolve("secret-keys"))
                    .as("the aws profile seals with the configured key, not a key file")
                    .doesNotExist();
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            JsonNode run = api.awaitFinal(api.trigger("sim", Map.of("SIM_EXIT_CODE", "3")));
            assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(run.get("warning").asBoolean()).isTrue();
            assertThat(run.get("requestedBy").asString()).isEqualTo("scheduler");
            assertThat(run.get("attempts").get(0).get("runtime").asString()).isEqualTo("ecs");
            assertThat(sim.launched()).isEqualTo(1);
        }
    }

    /** With a KMS key the aws profile seals with a data key from KMS and needs no configured key. */
    @Test
    void sealsSecretParamsWithAKmsDataKey() {
        try (KmsSimulator kms = KmsSimulator.start()) {
            kms.createKey("alias/batchgate-secrets");
            List<String> args = withKms(kms);
            try (ConfigurableApplicationContext context =
                    new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new))) {
                assertThat(kms.calls("GenerateDataKey")).isEqualTo(1);
                assertThat(dataDir.resolve("secret-keys")).doesNotExist();
                SecretSeal seal = context.getBean(SecretSeal.class);
                String sealed = seal.seal("run-1", "PASSWORD", "from kms");
                assertThat(sealed).startsWith("bgsealed:v1:kms-1:");
                assertThat(seal.open("run-1", "PASSWORD", sealed)).isEqualTo("from kms");
            }
        }
    }

    @Test
    void refusesToStartWhenKmsDeniesTheKey() {
        try (KmsSimulator kms = KmsSimulator.start()) {
            kms.deny(kms.createKey("alias/batchgate-secrets"));
            assertThatThrownBy(() -> new SpringApplicationBuilder(BatchgateApplication.class)
                            .run(withKms(kms).toArray(String[]::new))
                            .close())
                    .hasStackTraceContaining(
                            "KMS GenerateDataKey with batchgate.secrets.kms-key-id 'alias/batchgate-secrets' failed"
                                    + " (AccessDeniedException: User: ");
        }
    }

    @Test
    void refusesToStartWithoutAKeyForSecretParams() {
        List<String> args = arguments(sha256Hex(GatewayTestSupport.TOKEN));
        args.remove("--BATCHGATE_SECRETS_KEY=" + SECRETS_KEY);
        assertThatThrownBy(() -> new SpringApplicationBuilder(BatchgateApplication.class)
                        .run(args.toArray(String[]::new))
                        .close())
                .rootCause()
                .hasMessageStartingWith("no key to seal secret param values: set batchgate.secrets.kms-key-id");
        assertThat(dataDir.resolve("secret-keys")).doesNotExist();
    }

    private List<String> withKms(KmsSimulator kms) {
        List<String> args = arguments(sha256Hex(GatewayTestSupport.TOKEN));
        args.remove("--BATCHGATE_SECRETS_KEY=" + SECRETS_KEY);
        args.add("--BATCHGATE_SECRETS_KMS_KEY_ID=alias/batchgate-secrets");
        args.add("--batchgate.secrets.kms-endpoint=" + kms.endpoint());
        return args;
    }

    @Test
    void refusesToStartWithoutAToken() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(BatchgateApplication.class)
                        .run(arguments("").toArray(String[]::new))
                        .close())
                .rootCause()
                .hasMessageStartingWith("no API token is configured; batchgate refuses to start without one");
    }

    @Test
    void refusesToStartWithATokenDigestThatIsNotOne() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(BatchgateApplication.class)
                        .run(arguments("not-a-digest").toArray(String[]::new))
                        .close())
                .rootCause()
                .hasMessageContaining("batchgate.auth.tokens[0].token-sha256: must be 64 hex digits");
    }

    /** The aws profile takes the token as its SHA-256, so the task definition holds no usable secret. */
    private static String sha256Hex(String token) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
