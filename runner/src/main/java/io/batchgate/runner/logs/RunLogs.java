package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;

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

    public RunLogs(RunLedger ledger, LogSources sources, Clock clock) {
        this.ledger = ledger;
        this.sources = sources;
        this.clock = clock;
    }

    /** Writes the log to {@code out} as UTF-8 lines; with {@code tail}, only the last N lines. */
    public void copy(RunId runId, OptionalInt attempt, OptionalInt tail, OutputStream out) throws IOException {
        RunLogReading reading = new RunLogReading(attempt, sources, clock);
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

    /** A new reader of the run's log, for followers. */
    RunLogReading reading(OptionalInt attempt) {
        return new RunLogReading(attempt, sources, clock);
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
