package io.batchgate.runner.runtime.ecs;

import io.awspring.cloud.sqs.annotation.SqsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** Consumes ECS task state-change events that EventBridge delivers to an SQS queue. */
class EcsEventListener {

    private static final Logger log = LoggerFactory.getLogger(EcsEventListener.class);

    private final EcsTaskRuntime runtime;
    private final JsonMapper json;

    public EcsEventListener(EcsTaskRuntime runtime, JsonMapper json) {
        this.runtime = runtime;
        this.json = json;
    }

    @SqsListener(queueNames = "${batchgate.runtime.ecs.events-queue}", id = "batchgate-ecs-events")
    public void onMessage(String body) {
        EcsTaskEvent event = EcsTaskEvent.parse(json, body);
        if (event == null) {
            log.warn("ignoring a message on the ECS events queue that is not an ECS Task State Change");
            return;
        }
        runtime.onStateChange(event);
    }
}
