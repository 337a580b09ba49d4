package io.batchgate.runner.logs;

import io.batchgate.runner.ledger.RunTransitions;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TimelineEntry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Forwards batchgate's own per-run messages — every timeline entry: accepted, launched, retried,
 * stopped and why — to a {@link LogSink} (CloudWatch), one stream per run ({@code <run id>/batchgate}
 * beside the run's {@code <run id>/attempt-<n>} streams). Lines are handed over only once the
 * transition's transaction has committed, so a rolled-back transition is never logged; the sink only
 * queues, so no transition waits on it or fails because of it.
 */
public final class RunMessageForwarder implements RunTransitions {

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
    public void recorded(Run run, List<TimelineEntry> entries) {
        try {
            LogLocation location = location(logGroup, run.id());
            List<Message> messages = entries.stream()
                    .map(entry -> new Message(entry, line(run, entry)))
                    .toList();
            boolean finalNow = run.status().isFinal();
            Runnable forward = () -> forward(location, messages, finalNow);
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        forward.run();
                    }
                });
            } else {
                forward.run(); // no transaction: the entries are stored already
            }
        } catch (RuntimeException e) {
            log.warn("cannot forward the messages of run {}: {}", run.id(), e.toString());
        }
    }

    private record Message(TimelineEntry entry, String line) {}

    private void forward(LogLocation location, List<Message> messages, boolean runIsFinal) {
        try {
            for (Message message : messages) {
                sink.append(location, message.entry().at(), List.of(message.line()));
            }
            if (runIsFinal) {
                sink.forget(location); // a final run gets no more messages: free its counters once sent
            }
        } catch (RuntimeException e) {
            log.warn("cannot forward the messages of {}: {}", location, e.toString());
        }
    }

    /** {@code attempt 1: RUNNING → RETRY_WAIT: exit code 75 is retried (rule 1) at …} */
    static String line(Run run, TimelineEntry entry) {
        Attempt attempt = run.currentAttempt();
        String from = entry.from() == null ? "" : entry.from().name() + " → ";
        String text = (attempt == null ? "" : "attempt " + attempt.number() + ": ")
                + from
                + entry.to().name()
                + (entry.reason().isEmpty() ? "" : ": " + entry.reason());
        return text.replace('\n', ' ');
    }
}
