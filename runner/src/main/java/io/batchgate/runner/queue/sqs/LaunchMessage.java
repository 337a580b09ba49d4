package io.batchgate.runner.queue.sqs;

import io.batchgate.runner.run.RunId;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only message on the launch queue: "launch run R". It carries no parameters — the run in
 * the database is the truth, so a stale or duplicated message can do no harm.
 */
final class LaunchMessage {

    private LaunchMessage() {}

    static String body(RunId runId) {
        return "{\"runId\":\"" + runId.value() + "\"}";
    }

    /** The run id of a message body, or null if the body is not a launch message. */
    static @Nullable RunId parse(JsonMapper json, String body) {
        try {
            JsonNode node = json.readTree(body);
            JsonNode id = node.get("runId");
            return id == null || !id.isString() ? null : RunId.parseOrNull(id.asString());
        } catch (JacksonException e) {
            return null;
        }
    }
}
