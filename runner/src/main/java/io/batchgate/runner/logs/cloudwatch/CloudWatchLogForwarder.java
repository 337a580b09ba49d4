package io.batchgate.runner.logs.cloudwatch;

import io.batchgate.catalog.Backoff;
import io.batchgate.runner.logs.LogLocation;
import io.batchgate.runner.logs.LogSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Forwards lines to CloudWatch Logs with PutLogEvents, on one sender thread: appending only queues
 * (never blocks a run), the sender takes the oldest stream's waiting lines as one batch within the
 * service's limits ({@link LogBatch}), and sends it again with exponential backoff when throttled
 * or when the service cannot be reached. Memory is bounded: beyond {@code bufferLines} waiting
 * lines new ones are dropped — counted per stream and in the {@code batchgate.logs.dropped.lines}
 * metric, never silently.
 */
public class CloudWatchLogForwarder implements LogSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CloudWatchLogForwarder.class);

    private final CloudWatchLogsClient logs;
    private final int bufferLines;
    /** The waits before sending a batch again: doubling from retry-initial up to retry-max. */
    private final Backoff retry;

    private final Counter droppedMetric;
    private final Counter sentMetric;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private final ArrayDeque<Line> queue = new ArrayDeque<>();
    private final Map<LogLocation, Stats> stats = new ConcurrentHashMap<>();
    private final Map<LogLocation, Boolean> created = new ConcurrentHashMap<>();
    private final Thread sender;
    private volatile boolean running = true;

    private record Line(LogLocation location, long timestamp, String text) {}

    private static final class Stats {
        final AtomicLong appended = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        /** No more lines will come: remove the counters once the last one is sent. */
        volatile boolean forgotten;
        /**
         * The log context (MDC) of the stream's first append — the run it belongs to — so that the
         * sender thread's lines about the stream name the run too.
         */
        final @Nullable Map<String, String> logContext = MDC.getCopyOfContextMap();

        boolean flushed() {
            return done.get() >= appended.get();
        }
    }

    public CloudWatchLogForwarder(
            CloudWatchLogsClient logs,
            int bufferLines,
            Duration retryInitial,
            Duration retryMax,
            MeterRegistry meters) {
        this.logs = logs;
        this.bufferLines = bufferLines;
        this.retry = Backoff.doubling(retryInitial, retryMax, Backoff.Jitter.NONE);
        this.droppedMetric = Counter.builder("batchgate.logs.dropped.lines")
                .description("Lines not forwarded to CloudWatch Logs (buffer full or refused)")
                .register(meters);
        this.sentMetric = Counter.builder("batchgate.logs.forwarded.lines")
                .description("Lines stored in CloudWatch Logs by PutLogEvents")
                .register(meters);
        Gauge.builder("batchgate.logs.forward.queue", this, CloudWatchLogForwarder::queued)
                .description("Lines waiting to be forwarded to CloudWatch Logs")
                .register(meters);
        this.sender = new Thread(this::sendLoop, "cloudwatch-logs-forwarder");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void append(LogLocation location, Instant at, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        Stats counts = stats.computeIfAbsent(location, l -> new Stats());
        long dropped = 0;
        lock.lock();
        try {
            for (String text : lines) {
                counts.appended.incrementAndGet();
                if (queue.size() >= bufferLines) {
                    dropped++;
                } else {
                    queue.addLast(new Line(location, at.toEpochMilli(), text));
                }
            }
            waiting.signal();
        } finally {
            lock.unlock();
        }
        if (dropped > 0) {
            drop(location, dropped, "the forwarding buffer is full (" + bufferLines + " lines)");
        }
    }

    @Override
    public int room() {
        return Math.max(0, bufferLines - queued());
    }

    @Override
    public boolean flushed(LogLocation location) {
        Stats counts = stats.get(location);
        return counts == null || counts.flushed();
    }

    @Override
    public long dropped(LogLocation location) {
        Stats counts = stats.get(location);
        return counts == null ? 0 : counts.dropped.get();
    }

    @Override
    public void forget(LogLocation location) {
        Stats counts = stats.get(location);
        if (counts == null) {
            return;
        }
        counts.forgotten = true;
        removeIfDone(location, counts); // else the sender removes them after the last line
    }

    private void removeIfDone(LogLocation location, Stats counts) {
        if (counts.forgotten && counts.flushed() && stats.remove(location, counts)) {
            created.remove(location);
        }
    }

    /** Lines waiting now. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
    }

    private void sendLoop() {
        while (running) {
            try {
                Batch batch = nextBatch();
                if (batch != null) {
                    send(batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("forwarding logs to CloudWatch failed; the sender goes on", e);
            }
        }
    }

    private record Batch(LogLocation location, LogBatch events) {}

    /** The oldest waiting stream's lines, as many as one PutLogEvents takes. */
    private Batch nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                waiting.await(1, TimeUnit.SECONDS);
                if (!running) {
                    return null;
                }
            }
            LogLocation location = queue.peekFirst().location();
            LogBatch batch = new LogBatch();
            Iterator<Line> lines = queue.iterator();
            while (lines.hasNext()) {
                Line line = lines.next();
                if (!line.location().equals(location)) {
                    continue;
                }
                if (!batch.offer(line.timestamp(), line.text())) {
                    break;
                }
                lines.remove();
            }
            return new Batch(location, batch);
        } finally {
            lock.unlock();
        }
    }

    private void send(Batch batch) throws InterruptedException {
        int tries = 0;
        int size = batch.events().events().size();
        while (running) {
            Duration wait = retry.delay(++tries);
            try {
                ensureStream(batch.location());
                PutLogEventsResponse response =
                        logs.putLogEvents(r -> r.logGroupName(batch.location().group())
                                .logStreamName(batch.location().stream())
                                .logEvents(batch.events().events().stream()
                                        .map(e -> InputLogEvent.builder()
                                                .timestamp(e.timestamp())
                                                .message(e.message())
                                                .build())
                                        .toList()));
                long rejected = rejected(response.rejectedLogEventsInfo(), size);
                done(batch.location(), size - rejected);
                sentMetric.increment(size - rejected);
                if (rejected > 0) {
                    drop(batch.location(), rejected, "CloudWatch refused them (too old or too new)");
                }
                return;
            } catch (ResourceNotFoundException e) {
                created.remove(batch.location()); // deleted meanwhile: create again on the next try
            } catch (InvalidParameterException e) {
                drop(
                        batch.location(),
                        size,
                        "CloudWatch refused the batch: " + e.awsErrorDetails().errorMessage());
                return;
            } catch (CloudWatchLogsException e) {
                if (e.statusCode() < 500 && !e.isThrottlingException()) {
                    drop(batch.location(), size, "CloudWatch refused the batch: " + e.getMessage());
                    return;
                }
                log.debug("PutLogEvents throttled or failed, again in {}: {}", wait, e.toString());
            } catch (SdkException e) {
                log.debug("PutLogEvents failed, again in {}: {}", wait, e.toString());
            }
            Thread.sleep(wait.toMillis());
        }
    }

    private void ensureStream(LogLocation location) {
        if (created.containsKey(location)) {
            return;
        }
        try {
            logs.createLogStream(r -> r.logGroupName(location.group()).logStreamName(location.stream()));
        } catch (ResourceAlreadyExistsException e) {
            // another replica, or an earlier try, created it
        } catch (ResourceNotFoundException e) {
            try {
                logs.createLogGroup(r -> r.logGroupName(location.group()));
            } catch (ResourceAlreadyExistsException raced) {
                // created meanwhile
            }
            logs.createLogStream(r -> r.logGroupName(location.group()).logStreamName(location.stream()));
        }
        created.put(location, Boolean.TRUE);
    }

    private static long rejected(RejectedLogEventsInfo info, int size) {
        if (info == null) {
            return 0;
        }
        long rejected = 0;
        if (info.tooOldLogEventEndIndex() != null) {
            rejected += info.tooOldLogEventEndIndex();
        }
        if (info.expiredLogEventEndIndex() != null) {
            rejected = Math.max(rejected, info.expiredLogEventEndIndex());
        }
        if (info.tooNewLogEventStartIndex() != null) {
            rejected += size - info.tooNewLogEventStartIndex();
        }
        return Math.min(rejected, size);
    }

    private void done(LogLocation location, long lines) {
        Stats counts = stats.get(location);
        if (counts != null) {
            counts.done.addAndGet(lines);
            removeIfDone(location, counts);
        }
    }

    private void drop(LogLocation location, long lines, String why) {
        droppedMetric.increment(lines);
        Stats counts = stats.get(location);
        if (counts != null) {
            counts.dropped.addAndGet(lines);
            counts.done.addAndGet(lines);
            removeIfDone(location, counts);
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (counts != null && counts.logContext != null) {
            MDC.setContextMap(counts.logContext);
        }
        try {
            log.warn("{} lines for CloudWatch stream {} were dropped: {}", lines, location, why);
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }
}
