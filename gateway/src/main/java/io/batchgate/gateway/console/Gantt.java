package io.batchgate.gateway.console;

import io.batchgate.runner.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline drawn as an SVG Gantt chart, server-side: one row per run, one bar per attempt
 * (so retries sit side by side on their run's row, numbered), coloured by outcome and also marked
 * for reading without colour (a retried attempt is hatched and dashed; the title says it all on
 * hover or focus).
 */
record Gantt(int width, int height, List<Row> rows, List<Bar> bars, List<Tick> ticks) {

    static final int LABEL = 230;
    static final int PLOT = 900;
    static final int ROW = 20;
    static final int AXIS = 24;

    record Row(String label, String runId, int y) {}

    record Bar(String runId, int x, int y, int width, String css, String label, String title) {}

    record Tick(int x, String label) {}

    static Gantt of(
            List<ConsoleRuns.AttemptBar> attempts, Instant from, Instant to, Instant now, ConsoleFormat format) {
        double span = Math.max(1, Duration.between(from, to).toMillis());
        Map<String, List<ConsoleRuns.AttemptBar>> byRun = new LinkedHashMap<>();
        attempts.stream()
                .sorted(Comparator.comparing(ConsoleRuns.AttemptBar::launchedAt))
                .forEach(a ->
                        byRun.computeIfAbsent(a.runId(), k -> new ArrayList<>()).add(a));
        List<Row> rows = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<ConsoleRuns.AttemptBar>> run : byRun.entrySet()) {
            int y = AXIS + index * ROW;
            List<ConsoleRuns.AttemptBar> list = run.getValue();
            rows.add(new Row(list.get(0).job() + " " + format.shortId(run.getKey()), run.getKey(), y));
            int last =
                    list.stream().mapToInt(ConsoleRuns.AttemptBar::number).max().orElse(0);
            for (ConsoleRuns.AttemptBar a : list) {
                Instant start = a.launchedAt().isBefore(from) ? from : a.launchedAt();
                Instant end = a.finishedAt() == null ? now : a.finishedAt();
                if (end.isAfter(to)) {
                    end = to;
                }
                int x = LABEL + (int) Math.round(Duration.between(from, start).toMillis() / span * PLOT);
                int w = Math.max(
                        3, (int) Math.round(Duration.between(start, end).toMillis() / span * PLOT));
                w = Math.min(w, LABEL + PLOT - x);
                String outcome = outcome(a, a.number() < last);
                String title = a.job() + " run " + a.runId() + ", attempt " + a.number() + " (" + a.runtime() + "): "
                        + outcome.replace('-', ' ')
                        + (a.exitCode() == null ? "" : ", exit code " + a.exitCode())
                        + "; launched " + format.time(a.launchedAt()) + ", "
                        + (a.finishedAt() == null ? "still running" : "ended " + format.time(a.finishedAt()))
                        + " (" + format.duration(a.startedAt() == null ? a.launchedAt() : a.startedAt(), a.finishedAt())
                        + ")" + (a.reason().isBlank() ? "" : "; " + a.reason());
                bars.add(new Bar(a.runId(), x, y + 3, Math.max(1, w), "bar bar-" + outcome, "#" + a.number(), title));
            }
            index++;
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 6; i++) {
            Instant at = from.plusMillis(Math.round(span * i / 6));
            ticks.add(new Tick(LABEL + PLOT * i / 6, format.time(at).substring(5, 16)));
        }
        return new Gantt(LABEL + PLOT + 40, AXIS + Math.max(1, rows.size()) * ROW + 4, rows, bars, ticks);
    }

    /** What a bar's colour says: a retried attempt, or how the run ended with its last one. */
    static String outcome(ConsoleRuns.AttemptBar attempt, boolean retried) {
        if (attempt.outcome().equals("ACTIVE")) {
            return "running";
        }
        if (retried) {
            return "retried";
        }
        RunStatus status = attempt.runStatus();
        return switch (status) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case TIMED_OUT -> "timed-out";
            case CANCELLED -> "cancelled";
            default -> status.isFinal() ? "other" : "ended";
        };
    }
}
