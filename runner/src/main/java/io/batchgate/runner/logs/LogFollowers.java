package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows runs' logs without a thread per follower: one reader per followed run (and attempt
 * filter) reads new lines on a shared scheduler and fans them out to every follower, so a stream
 * is read once however many people watch it (CloudWatch's GetLogEvents quota is account-wide).
 * The reader keeps the lines it has read, up to a bound, for followers who join later; it stops
 * when the run's log is finished or nobody follows any more.
 */
public class LogFollowers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogFollowers.class);
    private static final int STEP_LINES = 10_000;

    private final RunLogs logs;
    private final RunLedger ledger;
    private final LogsProperties properties;
    private final ScheduledExecutorService scheduler;
    private final Map<Key, Feed> feeds = new ConcurrentHashMap<>();

    public LogFollowers(RunLogs logs, RunLedger ledger, LogsProperties properties, ScheduledExecutorService scheduler) {
        this.logs = logs;
        this.ledger = ledger;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    private record Key(RunId runId, OptionalInt attempt) {}

    /**
     * Adds a follower: it first gets the lines read so far (the last {@code tail} of them if
     * given), then new lines as they are read, then {@link LogFollower#end()}.
     */
    public void follow(RunId runId, OptionalInt attempt, OptionalInt tail, LogFollower follower) {
        Key key = new Key(runId, attempt);
        while (true) {
            Feed feed =
                    feeds.compute(key, (k, existing) -> existing == null || existing.closed ? new Feed(k) : existing);
            if (feed.add(follower, tail)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** Runs being read for followers now. */
    public int readers() {
        return feeds.size();
    }

    private final class Feed {

        private final Key key;
        private final RunLogReading reading;
        private final ArrayDeque<String> buffer = new ArrayDeque<>();
        private final List<LogFollower> followers = new ArrayList<>();
        private long skipped;
        private boolean scheduled;
        private boolean finished;
        private boolean closed;

        Feed(Key key) {
            this.key = key;
            this.reading = logs.reading(key.attempt());
        }

        synchronized boolean add(LogFollower follower, OptionalInt tail) {
            if (closed && !finished) {
                return false;
            }
            List<String> backlog = new ArrayList<>(buffer);
            long notShown = skipped;
            if (tail.isPresent() && backlog.size() > tail.getAsInt()) {
                backlog = backlog.subList(backlog.size() - tail.getAsInt(), backlog.size());
                notShown = 0;
            }
            if (notShown > 0) {
                backlog.add(0, LogMarkers.skipped(notShown));
            }
            if (!backlog.isEmpty() && !follower.send(backlog)) {
                return true;
            }
            if (finished) {
                follower.end();
                return true;
            }
            followers.add(follower);
            if (!scheduled) {
                scheduled = true;
                scheduler.execute(this::poll);
            }
            return true;
        }

        private void poll() {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                log.warn("reading the log of run {} for its followers failed", key.runId(), e);
                synchronized (this) {
                    followers.forEach(follower -> follower.fail(e));
                    close();
                }
            }
        }

        private void pollOnce() {
            Optional<Run> run = ledger.find(key.runId());
            synchronized (this) {
                if (followers.isEmpty() || run.isEmpty()) {
                    followers.forEach(LogFollower::end);
                    close();
                    return;
                }
                RunLogReading.Step step = reading.next(run.get(), STEP_LINES);
                keep(step.lines());
                if (!step.lines().isEmpty()) {
                    followers.removeIf(follower -> !follower.send(step.lines()));
                }
                if (step.finished()) {
                    finished = true;
                    followers.forEach(LogFollower::end);
                    close();
                    return;
                }
                if (followers.isEmpty()) {
                    close();
                    return;
                }
                Duration next = step.readAgainIn() == null ? properties.followInterval() : step.readAgainIn();
                scheduler.schedule(this::poll, next.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void keep(List<String> lines) {
            for (String line : lines) {
                if (buffer.size() == properties.followBufferLines()) {
                    buffer.removeFirst();
                    skipped++;
                }
                buffer.addLast(line);
            }
        }

        private void close() {
            closed = true;
            followers.clear();
            feeds.remove(key, this);
        }
    }
}
