package io.batchgate.runner.logs;

/** A log stream outside this machine: a CloudWatch Logs group and stream. */
public record LogLocation(String group, String stream) {

    public LogLocation {
        if (group.isBlank() || stream.isBlank()) {
            throw new IllegalArgumentException("a log location needs a group and a stream");
        }
    }

    @Override
    public String toString() {
        return group + ":" + stream;
    }
}
