package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.secrets.OutputScrubber;
import io.batchgate.runner.secrets.OutputScrubbers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Serves a run's log as it is now: every attempt (or one), each marked (see {@link LogMarkers}),
 * optionally only its last lines. An attempt that stopped moments ago is drained first, so its
 * last lines are served too.
 */
public class RunLogs {

    private static final int PAGE_LINES = 10_000;

    private final RunLedger ledger;
    private final LogSources sources;
    private final Clock clock;

    private final Function<RunId, OutputScrubber> scrubbers;

    public RunLogs(RunLedger ledger, LogSources sources, Clock clock) {
        this(ledger, sources, clock, new OutputScrubbers(4));
    }

    /** @param scrubbers replaces the secret values a run was given in every line served */
    public RunLogs(RunLedger ledger, LogSources sources, Clock clock, OutputScrubbers scrubbers) {
        this.ledger = ledger;
        this.sources = sources;
        this.clock = clock;
        this.scrubbers = runId -> scrubbers.of(ledger.secretValues(runId));
    }

    /** Writes the log to {@code out} as UTF-8 lines; with {@code tail}, only the last N lines. */
    public void copy(RunId runId, OptionalInt attempt, OptionalInt tail, OutputStream out) throws IOException {
        RunLogReading reading = new RunLogReading(attempt, sources, clock, scrubbers);
        ArrayDeque<String> last = new ArrayDeque<>();
        try {
            while (true) {
                Run run = ledger.get(runId);
                RunLogReading.Step step = reading.next(run, PAGE_LINES);
                if (tail.isPresent()) {
                    for (String line : step.lines()) {
                        if (last.size() == tail.getAsInt()) {
                            last.removeFirst();
                        }
                        last.addLast(line);
                    }
                } else {
                    write(step.lines(), out);
                }
                if (step.finished() || step.readAgainIn() == null) {
                    break;
                }
                pause(step.readAgainIn());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        write(List.copyOf(last), out);
        out.flush();
    }

    /**
     * The end of one attempt's own output, for heartbeat bodies.
     *
     * @param lines its last lines (no markers), at most the number asked for
     * @param notBefore when the attempt stopped so recently that its last lines may still be on
     *     their way (CloudWatch's drain time has not passed): ask again then; null when {@code lines}
     *     is the answer
     */
    public record AttemptTail(List<String> lines, @Nullable Instant notBefore) {

        public AttemptTail {
            lines = List.copyOf(lines);
        }
    }

    /**
     * The last {@code maxLines} lines of the attempt's output as far as it has arrived, without
     * waiting: an attempt still within its drain time answers when to ask again instead.
     */
    public AttemptTail tail(RunId runId, int attempt, int maxLines) {
        if (maxLines < 1) {
            return new AttemptTail(List.of(), null);
        }
        RunLogReading reading = new RunLogReading(OptionalInt.of(attempt), sources, clock, false, true, scrubbers);
        ArrayDeque<String> last = new ArrayDeque<>();
        while (true) {
            RunLogReading.Step step = reading.next(ledger.get(runId), PAGE_LINES);
            for (String line : step.lines()) {
                if (last.size() == maxLines) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
            Duration again = step.readAgainIn();
            if (step.finished() || again == null) {
                return new AttemptTail(List.copyOf(last), null);
            }
            if (!again.isZero() && !again.isNegative()) {
                return new AttemptTail(List.of(), clock.instant().plus(again));
            }
        }
    }

    /** A new reader of the run's log, for followers. */
    RunLogReading reading(OptionalInt attempt) {
        return new RunLogReading(attempt, sources, clock, scrubbers);
    }

    static void write(List<String> lines, OutputStream out) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void pause(Duration delay) throws IOException {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while draining the log", e);
        }
    }
}
