package io.batchgate.gateway.trigger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a trigger asked for: the job's parameters, as raw strings, whatever form they came in, and
 * whether it is only a dry run.
 */
record TriggerRequest(
        Map<String, String> params,
        boolean dryRun,
        @Nullable String idempotencyKey) {}
