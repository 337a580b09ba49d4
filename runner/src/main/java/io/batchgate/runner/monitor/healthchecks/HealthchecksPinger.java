package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.catalog.Backoff;
import io.batchgate.runner.monitor.LogTail;
import io.batchgate.runner.monitor.MonitorProperties;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's pings: a batch at a time, concurrently (one per run, so each run's pings
 * keep their order), each with a timeout. A 2xx removes the row; a server error, a timeout or 429
 * tries again with exponential backoff up to {@code max-tries}; any other 4xx (such as 404, an
 * unknown check) is dropped at once. Every failed try and every drop is counted, never silent.
 */
final class HealthchecksPinger {

    private static final Logger log = LoggerFactory.getLogger(HealthchecksPinger.class);
    private static final int BATCH = 50;
    private static final int MAX_ROUNDS = 100;

    private final PingOutbox outbox;
    private final LogTail logTail;
    private final PingBodyLimits limits;
    private final PingMetrics metrics;
    private final MonitorProperties properties;
    /** Between tries of one ping; the properties do not require max >= initial, so the cap bounds both. */
    private final Backoff backoff;

    private final HttpClient http;
    private final Clock clock;

    HealthchecksPinger(
            PingOutbox outbox,
            LogTail logTail,
            PingBodyLimits limits,
            PingMetrics metrics,
            MonitorProperties properties,
            HttpClient http,
            Clock clock) {
        this.outbox = outbox;
        this.logTail = logTail;
        this.limits = limits;
        this.metrics = metrics;
        this.properties = properties;
        this.backoff = Backoff.doubling(
                min(properties.initialBackoff(), properties.maxBackoff()),
                properties.maxBackoff(),
                Backoff.Jitter.NONE);
        this.http = http;
        this.clock = clock;
    }

    private enum Result {
        SENT,
        RETRY,
        REFUSED,
        /** Not sent: its log tail is not whole yet (a CloudWatch drain's time); no try is spent. */
        DEFERRED
    }

    /** One pass: drops stale pings, then sends every due one once. Returns how many were sent. */
    public int drain() {
        Instant now = clock.instant();
        int expired = outbox.removeOlderThan(now.minus(properties.maxAge()));
        if (expired > 0) {
            metrics.dropped(expired);
            log.warn("dropped {} heartbeat pings older than {} that could not be sent", expired, properties.maxAge());
        }
        int sent = 0;
        // Each round sends at most one ping per run; the next round sends what those unblocked.
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Ping> due = outbox.due(now, BATCH);
            if (due.isEmpty()) {
                break;
            }
            List<Ping> mine = new ArrayList<>();
            Instant lease = now.plus(properties.timeout().multipliedBy(2)).plusSeconds(5);
            for (Ping ping : due) {
                if (outbox.claim(ping, now, lease)) {
                    mine.add(ping);
                }
            }
            Map<Long, Instant> deferred = new HashMap<>();
            List<CompletableFuture<Result>> results =
                    mine.stream().map(ping -> send(ping, deferred)).toList();
            for (int i = 0; i < mine.size(); i++) {
                Ping ping = mine.get(i);
                Result result = results.get(i).join();
                if (result == Result.DEFERRED) {
                    outbox.defer(ping, deferred.get(ping.id()));
                } else if (settle(ping, result)) {
                    sent++;
                }
            }
            now = clock.instant();
        }
        return sent;
    }

    private CompletableFuture<Result> send(Ping ping, Map<Long, Instant> deferred) {
        try (var context = ping.logContext()) {
            return sendInContext(ping, deferred);
        }
    }

    private CompletableFuture<Result> sendInContext(Ping ping, Map<Long, Instant> deferred) {
        URI target = ping.target();
        HttpRequest request;
        try {
            Body body = body(ping, limits.of(target));
            if (body.notBefore() != null) {
                deferred.put(ping.id(), body.notBefore());
                return CompletableFuture.completedFuture(Result.DEFERRED);
            }
            request = HttpRequest.newBuilder(target)
                    .timeout(properties.timeout())
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .header("User-Agent", "batchgate")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                    .build();
        } catch (RuntimeException e) {
            log.warn("cannot build the {} ping of run {} to {}: {}", ping.kind(), ping.runId(), target, e.toString());
            return CompletableFuture.completedFuture(Result.REFUSED);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            try (var context = ping.logContext()) { // the HTTP client's thread
                return judge(ping, target, response, error);
            }
        });
    }

    private Result judge(Ping ping, URI target, @Nullable HttpResponse<Void> response, @Nullable Throwable error) {
        if (error != null) {
            log.debug("{} ping of run {} to {} failed: {}", ping.kind(), ping.runId(), target, error.toString());
            return Result.RETRY;
        }
        response.headers()
                .firstValue("Ping-Body-Limit")
                .ifPresent(value -> limits.heard(target, PingBodyLimits.parse(value)));
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Result.SENT;
        }
        log.debug("{} ping of run {} to {} answered {}", ping.kind(), ping.runId(), target, status);
        return status >= 500 || status == 408 || status == 429 ? Result.RETRY : Result.REFUSED;
    }

    /** Returns whether the ping is done with (sent). */
    private boolean settle(Ping ping, Result result) {
        if (result == Result.SENT) {
            outbox.remove(ping);
            metrics.sent();
            return true;
        }
        metrics.failed();
        int tries = ping.tries() + 1;
        if (result == Result.REFUSED || tries >= properties.maxTries()) {
            outbox.remove(ping);
            metrics.dropped();
            try (var context = ping.logContext()) {
                log.warn(
                        "gave up the {} ping of run {} to {} after {} tries ({})",
                        ping.kind(),
                        ping.runId(),
                        ping.target(),
                        tries,
                        result == Result.REFUSED ? "refused by the server" : "no success");
            }
            return false;
        }
        outbox.retryAt(ping, clock.instant().plus(backoff(tries)));
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Duration backoff(int tries) {
        return backoff.delay(Math.max(1, tries));
    }

    /**
     * The message, then for a failure or retry the log's tail — all within {@code limit} bytes:
     * the message takes at most half, the tail the rest, cut at its start (the end of a log is
     * what tells why it failed).
     */
    Body body(Ping ping, int limit) {
        byte[] message = utf8Prefix(ping.message(), ping.withLogTail() ? limit / 2 : limit);
        if (!ping.withLogTail()) {
            return new Body(message, null);
        }
        // a small limit (a test server, a tight self-hosted setting) keeps its bytes for the log
        byte[] separator =
                (limit >= 1000 ? "\n--- last lines of the output ---\n" : "\n…\n").getBytes(StandardCharsets.UTF_8);
        int room = limit - message.length - separator.length;
        LogTail.Tail tail = room > 0 ? tail(ping, room) : LogTail.Tail.of(new byte[0]);
        if (tail.notBefore() != null && !tooLate(ping, tail.notBefore())) {
            return new Body(new byte[0], tail.notBefore());
        }
        if (tail.bytes().length == 0) {
            return new Body(message, null);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(message.length + separator.length + tail.bytes().length);
        body.writeBytes(message);
        body.writeBytes(separator);
        body.writeBytes(tail.bytes());
        return new Body(body.toByteArray(), null);
    }

    /** A ping's bytes, or when to build it again (its log tail is not whole yet). */
    record Body(byte[] bytes, @Nullable Instant notBefore) {}

    /** Waiting for the tail must not make the ping outlive {@code max-age}: then it goes without. */
    private boolean tooLate(Ping ping, Instant notBefore) {
        return !notBefore.isBefore(ping.createdAt().plus(properties.maxAge()));
    }

    private LogTail.Tail tail(Ping ping, int room) {
        try {
            return logTail.tail(ping.runId(), ping.attempt(), room);
        } catch (RuntimeException e) {
            log.debug("no log tail for run {}: {}", ping.runId(), e.toString());
            return LogTail.Tail.of(new byte[0]);
        }
    }

    /** At most {@code max} bytes of the text's UTF-8, cut before a whole character. */
    static byte[] utf8Prefix(String text, int max) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return bytes;
        }
        int end = Math.max(0, max);
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }
}
