package io.batchgate.gateway.trigger;

import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a trigger asked for: the job's parameters, as raw strings, whatever form they came in;
 * whether it is only a dry run; the keys that make it safe to send again; how long to wait for
 * the run to end ({@code ?wait=}); and after how long without a poll the run counts as abandoned
 * ({@code ?abandonAfter=}).
 */
public record TriggerRequest(
        Map<String, String> params,
        boolean dryRun,
        @Nullable String idempotencyKey,
        @Nullable String executionKey,
        OptionalLong waitSeconds,
        OptionalLong abandonAfterSeconds) {}
