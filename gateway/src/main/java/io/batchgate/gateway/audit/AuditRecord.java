package io.batchgate.gateway.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audited call: who (null when no valid token was presented), from where, what, on which job
 * and run, and how it ended. Parameter values are only ever kept as {@link ParamsDigest a digest}.
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
        @Nullable String paramsSha256) {}
