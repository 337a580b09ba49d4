package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Proves, in the background, that the logs of a runtime's ended attempts are whole, and records
 * it ({@code logComplete}): for an ECS task, lines may still reach its awslogs stream after it
 * stopped, so a pass runs the final drain — wait {@code settle} after the stop, then read to the
 * end until the configured number of empty pages in a row, {@code drain-interval} apart — spread
 * over passes, never sleeping. Bounded per pass: a batch of attempts, a few pages each; only the
 * read position of each is kept (in memory: after a restart the drain starts again).
 */
public class FinalDrains implements Runnable {

    static final int BATCH = 20;
    static final int PAGES_PER_PASS = 10;
    private static final int PAGE_LINES = 10_000;
    private static final Duration LOOK_BACK = Duration.ofDays(2);

    private final AttemptLogs attemptLogs;
    private final RunLedger ledger;
    private final LogSources sources;
    private final String runtime;
    private final Clock clock;
    private final Map<String, Draining> draining = new ConcurrentHashMap<>();

    public FinalDrains(AttemptLogs attemptLogs, RunLedger ledger, LogSources sources, String runtime, Clock clock) {
        this.attemptLogs = attemptLogs;
        this.ledger = ledger;
        this.sources = sources;
        this.runtime = runtime;
        this.clock = clock;
    }

    private static final class Draining {
        final RunLogReading reading;

        @Nullable
        Instant nextAt;

        Draining(RunLogReading reading) {
            this.reading = reading;
        }
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (AttemptLogs.Pending attempt : attemptLogs.toDrain(runtime, now.minus(LOOK_BACK), BATCH)) {
            String key = attempt.runId().value() + "#" + attempt.attempt();
            seen.add(key);
            Draining state = draining.computeIfAbsent(
                    key,
                    k -> new Draining(new RunLogReading(
                            OptionalInt.of(attempt.attempt()),
                            sources,
                            clock,
                            false,
                            false,
                            runId -> io.batchgate.runner.secrets.OutputScrubber.none())));
            if (state.nextAt != null && now.isBefore(state.nextAt)) {
                continue;
            }
            Run run = ledger.get(attempt.runId());
            for (int page = 0; page < PAGES_PER_PASS; page++) {
                RunLogReading.Step step = state.reading.next(run, PAGE_LINES);
                if (step.finished()) {
                    attemptLogs.progress(attempt.runId(), attempt.attempt(), 0, true);
                    draining.remove(key);
                    break;
                }
                Duration again = step.readAgainIn();
                // null: more comes only as the run moves on; ZERO: a full page, read on (next pass at the latest)
                state.nextAt = again == null || again.isZero() ? now : now.plus(again);
                if (again == null || !again.isZero()) {
                    break;
                }
            }
        }
        draining.keySet().retainAll(seen);
    }
}
