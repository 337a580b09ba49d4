package io.batchgate.runner.run;

import org.jspecify.annotations.Nullable;

/**
 * Where an attempt's log is kept beyond this machine (a CloudWatch Logs group and stream), and what
 * is known about its completeness. Written by the logs feature, not by the run's state machine.
 *
 * @param group the log group, or null when the log lives only in the local runtime's files
 * @param stream the log stream in that group
 * @param complete every line has reached the stream: forwarded and acknowledged, or drained after
 *     the task stopped
 * @param droppedLines lines lost before they reached the stream (forwarding buffer full)
 * @param warning why the log may be incomplete whatever batchgate does (e.g. awslogs in
 *     non-blocking mode), or null
 */
public record AttemptLog(
        @Nullable String group,
        @Nullable String stream,
        boolean complete,
        long droppedLines,
        @Nullable String warning) {

    public static final AttemptLog NONE = new AttemptLog(null, null, false, 0, null);

    public boolean hasStream() {
        return group != null && stream != null;
    }
}
