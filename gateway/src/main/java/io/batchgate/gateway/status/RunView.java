package io.batchgate.gateway.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A run as the status API shows it: secrets masked, attempts and timeline included. Fields without
 * a value yet (exitCode, finishedAt, …) are present as null, so clients need not guess.
 */
public record RunView(
        String runId,
        String job,
        String status,
        @Nullable Integer exitCode,
        boolean warning,
        String reason,
        Map<String, String> params,
        String requestedBy,
        String source,
        String catalogVersion,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Instant nextAttemptAt,
        boolean logComplete,
        List<AttemptView> attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<TimelineView> timeline,
        Map<String, String> links) {

    public static RunView of(Run run) {
        return of(run, true);
    }

    /** For history pages: the same fields, without the timeline. */
    public static RunView summary(Run run) {
        return of(run, false);
    }

    private static RunView of(Run run, boolean withTimeline) {
        return new RunView(
                run.id().value(),
                run.job(),
                run.status().name(),
                run.exitCode(),
                run.warning(),
                run.reason(),
                run.maskedParams(),
                run.requestedBy(),
                run.source().value(),
                run.catalogVersion(),
                run.createdAt(),
                run.startedAt(),
                run.finishedAt(),
                run.nextAttemptAt(),
                run.logComplete(),
                run.attempts().stream().map(AttemptView::of).toList(),
                withTimeline ? run.timeline().stream().map(TimelineView::of).toList() : null,
                links(run));
    }

    public static Map<String, String> links(Run run) {
        String self = "/api/v1/runs/" + run.id().value();
        return Map.of("self", self, "logs", self + "/logs", "job", "/api/v1/jobs/" + run.job());
    }

    public record AttemptView(
            int number,
            String runtime,
            int launchTries,
            @Nullable String taskHandle,
            String outcome,
            @Nullable Integer exitCode,
            String reason,
            Instant launchedAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Long jobExecutionId,
            @Nullable String logGroup,
            @Nullable String logStream,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long logLinesDropped,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            String logWarning) {

        static AttemptView of(Attempt attempt) {
            return new AttemptView(
                    attempt.number(),
                    attempt.runtime(),
                    attempt.launchTries(),
                    attempt.handle() == null ? null : attempt.handle().toString(),
                    attempt.outcome().name(),
                    attempt.exitCode(),
                    attempt.reason(),
                    attempt.launchedAt(),
                    attempt.startedAt(),
                    attempt.finishedAt(),
                    attempt.jobExecutionId(),
                    attempt.log().group(),
                    attempt.log().stream(),
                    attempt.log().droppedLines(),
                    attempt.log().warning());
        }
    }

    public record TimelineView(Instant at, @Nullable String from, String to, String reason) {

        static TimelineView of(TimelineEntry entry) {
            return new TimelineView(
                    entry.at(),
                    entry.from() == null ? null : entry.from().name(),
                    entry.to().name(),
                    entry.reason());
        }
    }
}
