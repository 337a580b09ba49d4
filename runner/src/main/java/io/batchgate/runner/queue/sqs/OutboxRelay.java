package io.batchgate.runner.queue.sqs;

import io.batchgate.catalog.Backoff;
import io.batchgate.runner.admission.OutboxWakeup;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends outbox rows to the launch queue, ten to a SendMessageBatch call. Woken right after a
 * trigger commits, and on an interval for rows that are due again. When SQS is down the rows
 * simply stay: runs are delayed, never lost.
 */
class OutboxRelay implements SmartLifecycle, OutboxWakeup {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 10;
    /** After consecutive failed sends: 250 ms, doubling, at most 30 s. */
    private static final Backoff BACKOFF =
            Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(30), Backoff.Jitter.NONE);

    private final Outbox outbox;
    private final SqsAsyncClient sqs;
    private final QueueUrl queueUrl;
    private final QueueProperties properties;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(Outbox outbox, SqsAsyncClient sqs, QueueUrl queueUrl, QueueProperties properties, Clock clock) {
        this.outbox = outbox;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.properties = properties;
        this.clock = clock;
    }

    /** Asks the relay to look at the outbox now (after a trigger committed). */
    @Override
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Sends every due row once; returns how many were sent. Package-visible for tests. */
    int relayDue() {
        int sent = 0;
        while (true) {
            Instant readAt = clock.instant();
            List<RunId> due = outbox.due(readAt, properties.resendAfter(), BATCH);
            if (due.isEmpty()) {
                return sent;
            }
            List<RunId> delivered = send(due);
            outbox.markSent(delivered, clock.instant(), readAt);
            sent += delivered.size();
            if (delivered.size() < due.size()) {
                throw new IllegalStateException(
                        "SQS refused " + (due.size() - delivered.size()) + " of " + due.size() + " messages");
            }
            if (due.size() < BATCH) {
                return sent;
            }
        }
    }

    private List<RunId> send(List<RunId> runs) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(LaunchMessage.body(runs.get(i)))
                    .build());
        }
        CompletableFuture<SendMessageBatchResponse> sending =
                sqs.sendMessageBatch(request -> request.queueUrl(queueUrl.get()).entries(entries));
        SendMessageBatchResponse response;
        try {
            // bounded: a connection that never answers (seen after a network cut) would otherwise
            // hold the relay, and every run accepted after it, for good
            response = sending.get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sending.cancel(true);
            throw new IllegalStateException("no answer from SQS within " + properties.sendTimeout());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to SQS", e);
        }
        List<RunId> delivered = new ArrayList<>();
        response.successful().forEach(ok -> delivered.add(runs.get(Integer.parseInt(ok.id()))));
        response.failed().forEach(failed -> {
            RunId runId = runs.get(Integer.parseInt(failed.id()));
            try (var context = RunLogContext.of(runId)) {
                log.warn("SQS refused the message for run {}: {} {}", runId, failed.code(), failed.message());
            }
        });
        return delivered;
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                relayDue();
                failures = 0;
                awaitWakeUp(properties.relayInterval());
            } catch (RuntimeException e) {
                Duration wait = BACKOFF.delay(++failures);
                log.warn(
                        "outbox relay could not send to the queue (retrying in {} ms): {}",
                        wait.toMillis(),
                        rootMessage(e));
                awaitWakeUp(wait);
            }
        }
    }

    private void awaitWakeUp(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!woken && running && nanos > 0) {
                nanos = wakeUp.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }
}
