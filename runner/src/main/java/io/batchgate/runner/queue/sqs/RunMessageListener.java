package io.batchgate.runner.queue.sqs;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.run.RunId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes launch messages. The message is acknowledged as soon as the launch is recorded — it
 * never stays in flight while the task runs. A body that is not a launch message is logged and
 * acknowledged so it cannot block the queue.
 */
public class RunMessageListener {

    private static final Logger log = LoggerFactory.getLogger(RunMessageListener.class);

    private final RunLauncher launcher;
    private final JsonMapper json;

    public RunMessageListener(RunLauncher launcher, JsonMapper json) {
        this.launcher = launcher;
        this.json = json;
    }

    @SqsListener(queueNames = "${batchgate.queue.name:batchgate-runs}", id = "batchgate-launch")
    public void onMessage(String body) {
        RunId runId = LaunchMessage.parse(json, body);
        if (runId == null) {
            log.error(
                    "dropping a message that is not a launch message: {}",
                    body.length() > 200 ? body.substring(0, 200) + "…" : body);
            return;
        }
        launcher.launch(runId);
    }
}
