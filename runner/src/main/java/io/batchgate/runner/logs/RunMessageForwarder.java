package io.batchgate.runner.logs;

import io.batchgate.runner.logcontext.RunLogContext;
import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TimelineEntry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards batchgate's own per-run messages — every timeline entry: accepted, launched, retried,
 * stopped and why — to a {@link LogSink} (CloudWatch), one stream per run ({@code <run id>/batchgate}
 * beside the run's {@code <run id>/attempt-<n>} streams). It follows the run's events, which are
 * handed over only once the transition's transaction has committed, so a rolled-back transition is
 * never logged; the sink only queues, so no transition waits on it or fails because of it.
 */
public final class RunMessageForwarder implements RunEventListener {

    private static final Logger log = LoggerFactory.getLogger(RunMessageForwarder.class);

    private final LogSink sink;
    private final String logGroup;

    public RunMessageForwarder(LogSink sink, String logGroup) {
        this.sink = sink;
        this.logGroup = logGroup;
    }

    public static LogLocation location(String logGroup, RunId runId) {
        return new LogLocation(logGroup, runId.value() + "/batchgate");
    }

    @Override
    public void on(RunEvent event) {
        if (!(event instanceof RunEvent.Recorded recorded)) {
            return; // an attempt's end is told by the transition that follows it
        }
        LogLocation location = location(logGroup, event.runId());
        // this line and the sink's own about the stream (dropped lines) name the run
        try (var context = RunLogContext.of(event.runId()).job(event.job())) {
            if (recorded.attempt() != 0) {
                context.attempt(recorded.attempt());
            }
            try {
                sink.append(location, recorded.entry().at(), List.of(line(recorded)));
                if (event instanceof RunEvent.RunFinished) {
                    sink.forget(location); // a final run gets no more messages: free its counters once sent
                }
            } catch (RuntimeException e) {
                log.warn("cannot forward the messages of {}: {}", location, e.toString());
            }
        }
    }

    /** {@code attempt 1: RUNNING → RETRY_WAIT: exit code 75 is retried (rule 1) at …} */
    static String line(RunEvent.Recorded event) {
        TimelineEntry entry = event.entry();
        String from = entry.from() == null ? "" : entry.from().name() + " → ";
        String text = (event.attempt() == 0 ? "" : "attempt " + event.attempt() + ": ")
                + from
                + entry.to().name()
                + (entry.reason().isEmpty() ? "" : ": " + entry.reason());
        return text.replace('\n', ' ');
    }
}
