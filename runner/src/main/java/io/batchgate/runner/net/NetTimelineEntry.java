package io.batchgate.runner.net;

import java.time.Instant;

/** One line of a net run's timeline. */
public record NetTimelineEntry(Instant at, String text) {}
