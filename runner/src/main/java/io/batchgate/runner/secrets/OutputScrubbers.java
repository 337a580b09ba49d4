package io.batchgate.runner.secrets;

import java.util.Collection;

/** Builds a run's {@link OutputScrubber} with the configured minimum length. */
public final class OutputScrubbers {

    private final int minLength;

    public OutputScrubbers(int minLength) {
        this.minLength = minLength;
    }

    public OutputScrubber of(Collection<String> values) {
        return OutputScrubber.of(values, minLength);
    }
}
