package io.batchgate.runner.logs.cloudwatch;

import io.batchgate.runner.logs.LogPage;
import io.batchgate.runner.logs.LogSource;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.AttemptLog;
import io.batchgate.runner.run.RunId;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Reads an attempt's CloudWatch stream with GetLogEvents from the head, page by page with forward
 * tokens; the cursor is the last forward token. AWS answers the same token again at the end of the
 * stream: that is an empty page. A stream that does not exist yet (the task has not logged) is
 * empty too.
 */
public class CloudWatchLogStore implements LogSource {

    /** Pages without events but with a new token can occur mid-stream; follow a few before answering empty. */
    private static final int MAX_EMPTY_HOPS = 10;

    private final CloudWatchLogsClient logs;
    private final Drain drain;

    public CloudWatchLogStore(CloudWatchLogsClient logs, Drain drain) {
        this.logs = logs;
        this.drain = drain;
    }

    @Override
    public LogPage read(RunId runId, Attempt attempt, String cursor) {
        AttemptLog log = attempt.log();
        if (!log.hasStream()) {
            return LogPage.empty(cursor);
        }
        String token = cursor;
        for (int hop = 0; hop < MAX_EMPTY_HOPS; hop++) {
            GetLogEventsRequest.Builder request = GetLogEventsRequest.builder()
                    .logGroupName(log.group())
                    .logStreamName(log.stream())
                    .startFromHead(true);
            if (!token.isEmpty()) {
                request.nextToken(token);
            }
            GetLogEventsResponse response;
            try {
                response = logs.getLogEvents(request.build());
            } catch (ResourceNotFoundException e) {
                return LogPage.empty(cursor);
            }
            String next = response.nextForwardToken();
            if (!response.events().isEmpty()) {
                List<String> lines = new ArrayList<>(response.events().size());
                for (OutputLogEvent event : response.events()) {
                    String message = event.message();
                    if (message.isEmpty()) {
                        lines.add(message);
                    } else {
                        lines.addAll(message.lines().toList());
                    }
                }
                return new LogPage(lines, next);
            }
            if (next == null || next.equals(token)) {
                return LogPage.empty(token);
            }
            token = next;
        }
        return LogPage.empty(token);
    }

    @Override
    public Drain drain() {
        return drain;
    }
}
