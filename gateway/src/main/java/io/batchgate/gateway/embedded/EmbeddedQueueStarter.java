package io.batchgate.gateway.embedded;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Starts the embedded queue on a thread of its own as soon as the context has read its bean
 * definitions, so that it boots while the main thread opens the database (Liquibase) and creates
 * Tomcat: ElasticMQ (Scala, Pekko) and the SQS client's first call load about 6,500 classes and
 * took about 2.4 s of an 8.8 s start-up on the main thread (bench/RESULTS.md, "What the profiles
 * showed"). The beans that need the queue wait for it ({@link #server()}, {@link #client()}), and
 * a failure to start fails them, and so the start-up, as before.
 */
class EmbeddedQueueStarter implements BeanFactoryPostProcessor, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedQueueStarter.class);

    private record Started(SQSRestServer server, SqsAsyncClient client) {}

    private CompletableFuture<Started> started;

    @Override
    public synchronized void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        start();
    }

    private synchronized CompletableFuture<Started> start() {
        if (started == null) {
            started = new CompletableFuture<>();
            Thread thread = new Thread(this::boot, "embedded-queue-start");
            thread.setDaemon(true);
            thread.start();
        }
        return started;
    }

    private void boot() {
        SQSRestServer server = null;
        try {
            server = SQSRestServerBuilder.withInterface("127.0.0.1")
                    .withDynamicPort()
                    .start();
            int port = server.waitUntilStarted().localAddress().getPort();
            SqsAsyncClient client = SqsAsyncClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .build();
            warmUp(client);
            started.complete(new Started(server, client));
        } catch (Throwable e) {
            if (server != null) {
                server.stopAndWait();
            }
            started.completeExceptionally(e);
        }
    }

    /**
     * The first call loads the client's and the server's request paths; here it costs no one. On
     * a busy host it can outlast the client's 10 s connection-acquire timeout: that is no reason
     * to fail, since the queue's resolution at start-up tries again with backoff (StartupWait).
     */
    private static void warmUp(SqsAsyncClient client) {
        try {
            client.listQueues().join();
        } catch (CompletionException e) {
            log.info(
                    "the embedded queue's first call failed, start-up will try again: {}",
                    String.valueOf(e.getCause()));
        }
    }

    /** The running server; waits for it, and throws if it could not start. */
    SQSRestServer server() {
        return await().server();
    }

    /** A client of the running server. */
    SqsAsyncClient client() {
        return await().client();
    }

    private Started await() {
        try {
            return start().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the embedded queue (ElasticMQ) did not start", e.getCause());
        }
    }

    /** Stops the server after the beans that use it (they depend on this one, so they go first). */
    @Override
    public void destroy() {
        CompletableFuture<Started> future;
        synchronized (this) {
            future = started;
        }
        if (future == null) {
            return;
        }
        Started done;
        try {
            done = future.get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            return; // never started (its thread is a daemon and stopped what it had started)
        }
        done.client().close();
        done.server().stopAndWait();
    }
}
