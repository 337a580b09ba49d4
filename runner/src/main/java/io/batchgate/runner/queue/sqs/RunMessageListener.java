package io.batchgate.runner.queue.sqs;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.run.RunId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes launch messages. The message is acknowledged as soon as the launch is recorded — it
 * never stays in flight while the task runs. A message that cannot be processed (not a launch
 * message, or a run the database does not know) is refused: SQS delivers it again, and after the
 * queue's maxReceiveCount moves it to the dead-letter queue — it never blocks the queue.
 */
class RunMessageListener {

    private static final Logger log = LoggerFactory.getLogger(RunMessageListener.class);

    private final RunLauncher launcher;
    private final JsonMapper json;
    private final Counter rejected;

    public RunMessageListener(RunLauncher launcher, JsonMapper json, MeterRegistry meters) {
        this.launcher = launcher;
        this.json = json;
        this.rejected = Counter.builder("batchgate.queue.messages.rejected")
                .description("launch messages refused as unprocessable (they end in the dead-letter queue)")
                .register(meters);
    }

    @SqsListener(
            queueNames = "${batchgate.queue.name:batchgate-runs}",
            id = "batchgate-launch",
            messageVisibilitySeconds = "${batchgate.queue.visibility-seconds:60}")
    public void onMessage(String body) {
        RunId runId = LaunchMessage.parse(json, body);
        if (runId == null) {
            rejected.increment();
            log.error(
                    "refusing a message that is not a launch message (after its last receive it goes to the"
                            + " dead-letter queue): {}",
                    body.length() > 200 ? body.substring(0, 200) + "…" : body);
            throw new UnprocessableMessageException("not a launch message");
        }
        if (launcher.launch(runId) == RunLauncher.Outcome.UNKNOWN_RUN) {
            rejected.increment();
            log.error("refusing a launch message for run {}, which the database does not know", runId);
            throw new UnprocessableMessageException("unknown run " + runId);
        }
    }

    /** A message no runner can ever process. */
    static class UnprocessableMessageException extends RuntimeException {
        UnprocessableMessageException(String message) {
            super(message);
        }
    }
}
