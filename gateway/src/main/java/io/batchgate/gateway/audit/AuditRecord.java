package io.batchgate.gateway.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audited call: who (null when no valid token was presented), from where, what, on which job
 * and run, and how it ended. Parameter values are only ever kept as {@link ParamsDigest a digest}. A record of a
 * run that was stored says how the run came to be ({@code runSource}: api, jobctl, …); {@code
 * source} is where the call came from (the client's address).
 */
public record AuditRecord(
        long id,
        Instant at,
        @Nullable String caller,
        String source,
        String action,
        String target,
        @Nullable String job,
        @Nullable String runId,
        int httpStatus,
        String outcome,
        @Nullable String paramsSha256,
        @Nullable String runSource) {}
