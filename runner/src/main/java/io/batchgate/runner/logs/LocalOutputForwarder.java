package io.batchgate.runner.logs;

import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.secrets.OutputScrubber;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Forwards the local runtime's output files to a {@link LogSink} (CloudWatch), one stream per
 * attempt ({@code <run id>/attempt-<n>}), so the log outlives this machine. One pass reads what is
 * new in every local attempt's file this machine holds; once an ended attempt's file is read to the
 * end and the sink has stored everything, the attempt's log is marked complete (or its dropped
 * lines recorded). The file is the buffer: it reads on only while the sink has room, so output
 * is not dropped when CloudWatch is slow or down, only late.
 */
public class LocalOutputForwarder implements Runnable {

    private static final int BATCH = 200;
    /** A page of the file holds at most this many lines of usual length. */
    private static final int ROOM_NEEDED = 20_000;

    private static final Duration LOOK_BACK = Duration.ofDays(2);

    private final AttemptLogs attemptLogs;
    private final LogSink sink;
    private final String logGroup;
    private final Clock clock;
    /** Byte offsets forwarded so far; lost on restart, when the file is forwarded again from the start. */
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();

    private final LocalLogFiles files;

    private final Function<RunId, OutputScrubber> scrubbers;

    public LocalOutputForwarder(
            AttemptLogs attemptLogs, LocalLogFiles files, LogSink sink, String logGroup, Clock clock) {
        this(attemptLogs, files, sink, logGroup, clock, runId -> OutputScrubber.none());
    }

    /** @param scrubbers a run's secret values are replaced in every line forwarded */
    public LocalOutputForwarder(
            AttemptLogs attemptLogs,
            LocalLogFiles files,
            LogSink sink,
            String logGroup,
            Clock clock,
            Function<RunId, OutputScrubber> scrubbers) {
        this.scrubbers = scrubbers;
        this.attemptLogs = attemptLogs;
        this.files = files;
        this.sink = sink;
        this.logGroup = logGroup;
        this.clock = clock;
    }

    public static LogLocation location(String logGroup, RunId runId, int attempt) {
        return new LogLocation(logGroup, runId.value() + "/attempt-" + attempt);
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (AttemptLogs.Pending attempt : attemptLogs.localToForward(now.minus(LOOK_BACK), BATCH)) {
            if (!Files.exists(files.file(attempt.runId(), attempt.attempt()))) {
                continue; // another replica's attempt
            }
            String key = attempt.runId().value() + "#" + attempt.attempt();
            seen.add(key);
            // the sink's lines about this stream (dropped lines) name the run
            try (var context =
                    RunLogContext.of(attempt.runId(), attempt.attempt()).job(attempt.job())) {
                forward(attempt, key, now);
            }
        }
        offsets.keySet().retainAll(seen);
    }

    private void forward(AttemptLogs.Pending attempt, String key, Instant now) {
        LogLocation location = location(logGroup, attempt.runId(), attempt.attempt());
        if (!offsets.containsKey(key)) {
            // recorded at the claim already (LocalOutputStreams), unless forwarding was turned on after it
            attemptLogs.located(attempt.runId(), attempt.attempt(), location, null);
        }
        boolean ended = attempt.finishedAt() != null;
        long offset = offsets.getOrDefault(key, 0L);
        boolean atEnd;
        OutputScrubber scrubber = null;
        while (true) {
            if (sink.room() < ROOM_NEEDED) {
                atEnd = false;
                break; // the file keeps the lines: read on when the sink has caught up
            }
            LocalLogFiles.Chunk chunk =
                    LocalLogFiles.readLines(files.file(attempt.runId(), attempt.attempt()), offset, ended);
            if (scrubber == null && !chunk.lines().isEmpty()) {
                scrubber = scrubbers.apply(attempt.runId());
            }
            sink.append(location, now, scrubber == null ? chunk.lines() : scrubber.lines(chunk.lines()));
            offset = chunk.next();
            if (chunk.lines().isEmpty()) {
                atEnd = true;
                break;
            }
        }
        offsets.put(key, offset);
        boolean complete = ended && atEnd && sink.flushed(location);
        long dropped = sink.dropped(location);
        if (complete || dropped > 0) {
            attemptLogs.progress(attempt.runId(), attempt.attempt(), dropped, complete);
        }
        if (complete) {
            offsets.remove(key);
            sink.forget(location);
        }
    }
}
