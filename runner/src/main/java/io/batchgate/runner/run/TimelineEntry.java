package io.batchgate.runner.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One recorded transition of a run: when, from what, to what, and why. */
public record TimelineEntry(int seq, Instant at, @Nullable RunStatus from, RunStatus to, String reason) {}
