package io.batchgate.runner.logs;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.secrets.OutputScrubber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One reader's way through a run's log: the attempts in order, each introduced by a header and
 * closed by a footer once its end is proven (the source's drain), then the run's end. Keeps only
 * its position, so a reader of a long log holds no more than one page.
 */
final class RunLogReading {

    private final OptionalInt onlyAttempt;
    private final LogSources sources;
    private final Clock clock;
    private int index;
    private boolean headerWritten;
    private @Nullable LogSource source;
    private String cursor = "";
    private int emptyPagesAfterEnd;
    private boolean finished;

    private final boolean markers;
    private final boolean drainByElapsedTime;
    private final Function<RunId, OutputScrubber> scrubbers;
    /** The run's secret values do not change: looked up once, at the first line read. */
    private @Nullable OutputScrubber scrubber;

    RunLogReading(OptionalInt onlyAttempt, LogSources sources, Clock clock) {
        this(onlyAttempt, sources, clock, runId -> OutputScrubber.none());
    }

    RunLogReading(OptionalInt onlyAttempt, LogSources sources, Clock clock, Function<RunId, OutputScrubber> scrubbers) {
        this(onlyAttempt, sources, clock, true, false, scrubbers);
    }

    /**
     * @param markers write batchgate's marker lines (headers, footers, the run's end)
     * @param drainByElapsedTime prove a stopped attempt's end by one empty read once the whole drain
     *     time (settle and every page interval) has passed since the stop, instead of by reads spread
     *     over that time: for readers that read once and must not wait (heartbeat bodies, which may
     *     then miss a line arriving in the last interval)
     */
    RunLogReading(
            OptionalInt onlyAttempt,
            LogSources sources,
            Clock clock,
            boolean markers,
            boolean drainByElapsedTime,
            Function<RunId, OutputScrubber> scrubbers) {
        this.scrubbers = scrubbers;
        this.onlyAttempt = onlyAttempt;
        this.sources = sources;
        this.clock = clock;
        this.markers = markers;
        this.drainByElapsedTime = drainByElapsedTime;
    }

    /**
     * What one step of reading brought.
     *
     * @param lines the new lines, markers included
     * @param finished the run is final and every attempt's log is read to its proven end
     * @param readAgainIn when more is known to be waiting (ZERO: at once; a drain's delay), or null
     *     when more comes only as the task writes or the run moves on
     */
    record Step(
            List<String> lines, boolean finished, @Nullable Duration readAgainIn) {}

    /** Reads what is new, at most about {@code maxLines} lines, given the run as it is now. */
    Step next(Run run, int maxLines) {
        List<String> out = new ArrayList<>();
        if (finished) {
            return new Step(out, true, null);
        }
        List<Attempt> attempts = run.attempts();
        while (index < attempts.size()) {
            Attempt attempt = attempts.get(index);
            if (onlyAttempt.isPresent() && attempt.number() != onlyAttempt.getAsInt()) {
                index++;
                continue;
            }
            if (!headerWritten) {
                if (markers) {
                    out.addAll(LogMarkers.header(attempt));
                }
                headerWritten = true;
            }
            if (source == null || cursor.isEmpty()) {
                // an ECS task's stream is recorded shortly after it starts: choose again until something was read
                source = sources.of(run.id(), attempt);
            }
            boolean ended = !attempt.isActive();
            while (true) {
                LogPage page = source.read(run.id(), attempt, cursor);
                cursor = page.next();
                if (page.lines().isEmpty()) {
                    break;
                }
                if (scrubber == null) {
                    scrubber = scrubbers.apply(run.id());
                }
                out.addAll(scrubber.lines(page.lines()));
                emptyPagesAfterEnd = 0;
                if (out.size() >= maxLines) {
                    return new Step(out, false, Duration.ZERO);
                }
            }
            if (!ended) {
                return new Step(out, false, null);
            }
            LogSource.Drain drain = source.drain();
            Instant now = clock.instant();
            Instant stoppedAt = attempt.finishedAt() == null ? now : attempt.finishedAt();
            Instant settled = stoppedAt.plus(drain.settle());
            if (drainByElapsedTime) {
                settled = settled.plus(drain.pageInterval().multipliedBy(drain.emptyPages() - 1L));
            }
            if (now.isBefore(settled)) {
                return new Step(out, false, Duration.between(now, settled));
            }
            emptyPagesAfterEnd++;
            if (!drainByElapsedTime && emptyPagesAfterEnd < drain.emptyPages()) {
                return new Step(out, false, drain.pageInterval());
            }
            if (markers) {
                out.addAll(LogMarkers.footer(attempt));
            }
            if (onlyAttempt.isPresent()) {
                finished = true;
                return new Step(out, true, null);
            }
            index++;
            headerWritten = false;
            source = null;
            cursor = "";
            emptyPagesAfterEnd = 0;
        }
        if (run.status().isFinal()) {
            if (onlyAttempt.isEmpty() && markers) {
                out.add(LogMarkers.runEnd(run));
            }
            finished = true;
            return new Step(out, true, null);
        }
        return new Step(out, false, null);
    }
}
