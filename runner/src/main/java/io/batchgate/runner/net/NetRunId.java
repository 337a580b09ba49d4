package io.batchgate.runner.net;

import io.batchgate.runner.run.RunId;
import java.util.random.RandomGenerator;

/** A net run's public id: a UUIDv7 like a run's, so ids sort by creation time. */
public record NetRunId(String value) {

    public NetRunId {
        new RunId(value); // same format, same check
    }

    public static NetRunId next(long epochMillis, RandomGenerator random) {
        return new NetRunId(RunId.next(epochMillis, random).value());
    }

    /** Parses caller input; null for anything that is not a net run id. */
    public static NetRunId parseOrNull(String text) {
        RunId parsed = RunId.parseOrNull(text);
        return parsed == null ? null : new NetRunId(parsed.value());
    }

    @Override
    public String toString() {
        return value;
    }
}
