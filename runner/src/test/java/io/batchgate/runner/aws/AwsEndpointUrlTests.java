package io.batchgate.runner.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The AWS SDK's global endpoint setting — {@code AWS_ENDPOINT_URL}, or the system property
 * {@code aws.endpointUrl} this test can set — alone sends SQS (Spring Cloud AWS's client), ECS and
 * CloudWatch Logs (built through {@link AwsClientSettings} with no endpoint of batchgate's own) to
 * one other endpoint, e.g. LocalStack. A recording HTTP server stands in for it.
 */
class AwsEndpointUrlTests {

    private static final Map<String, String> SETTINGS = Map.of(
            "aws.region", "eu-west-1",
            "aws.accessKeyId", "test",
            "aws.secretAccessKey", "test");

    private final List<String> targets = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void recordingEndpoint() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            targets.add(target == null ? exchange.getRequestURI().toString() : target);
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"__type\":\"InvalidParameterException\",\"message\":\"recorded\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        SETTINGS.forEach(System::setProperty);
        System.setProperty(
                "aws.endpointUrl", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        SETTINGS.keySet().forEach(System::clearProperty);
        System.clearProperty("aws.endpointUrl");
        server.stop(0);
    }

    @Test
    void oneEndpointSettingSendsEcsLogsAndSqsToTheSameEndpoint() {
        try (EcsAsyncClient ecs = AwsClientSettings.apply(EcsAsyncClient.builder(), null, null)
                        .overrideConfiguration(
                                c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                        .build();
                CloudWatchLogsAsyncClient logs = AwsClientSettings.apply(
                                CloudWatchLogsAsyncClient.builder(), null, null)
                        .build()) {
            catchThrowable(() -> ecs.listTasks(r -> r.cluster("c")).join());
            catchThrowable(() -> logs.describeLogGroups(r -> r.limit(1)).join());
        }
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        AwsAutoConfiguration.class,
                        RegionProviderAutoConfiguration.class,
                        CredentialsProviderAutoConfiguration.class,
                        SqsAutoConfiguration.class))
                .withPropertyValues("spring.cloud.aws.sqs.listener.auto-startup=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(SqsAsyncClient.class);
                    catchThrowable(() -> context.getBean(SqsAsyncClient.class)
                            .getQueueUrl(r -> r.queueName("batchgate-runs"))
                            .join());
                });
        assertThat(targets)
                .anyMatch(t -> t.startsWith("AmazonEC2ContainerServiceV20141113.ListTasks"))
                .anyMatch(t -> t.startsWith("Logs_20140328.DescribeLogGroups"))
                .anyMatch(t -> t.startsWith("AmazonSQS.GetQueueUrl"));
    }
}
