package io.batchgate.runner.monitor;

import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.run.RunId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the tail through the log port ({@link RunLogs}, what serves {@code GET /runs/{id}/logs}):
 * a local attempt's file, or a CloudWatch stream — an ECS task's awslogs stream, or a local
 * attempt forwarded from another replica. The job's own lines only, without batchgate's markers.
 */
public final class RunLogTail implements LogTail {

    /** Look this far back from a cut for a line start, so the tail starts with a whole line. */
    private static final int LINE_SEARCH = 200;

    private final RunLogs logs;

    public RunLogTail(RunLogs logs) {
        this.logs = logs;
    }

    @Override
    public Tail tail(RunId run, int attempt, int maxBytes) {
        if (maxBytes <= 0) {
            return Tail.of(new byte[0]);
        }
        // every line takes at least its line end: this many lines always fill the bytes
        RunLogs.AttemptTail tail = logs.tail(run, attempt, maxBytes);
        if (tail.notBefore() != null) {
            return Tail.notBefore(tail.notBefore());
        }
        StringBuilder text = new StringBuilder();
        for (String line : tail.lines()) {
            text.append(line).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return Tail.of(bytes);
        }
        return Tail.of(fromCleanStart(Arrays.copyOfRange(bytes, bytes.length - maxBytes, bytes.length)));
    }

    /** Drops a partial first line (if a line start is near) or else a partial UTF-8 character. */
    static byte[] fromCleanStart(byte[] bytes) {
        // a newline that ends the bytes would leave nothing: then keep the partial line
        int limit = Math.min(bytes.length - 1, LINE_SEARCH);
        for (int i = 0; i < limit; i++) {
            if (bytes[i] == '\n') {
                return Arrays.copyOfRange(bytes, i + 1, bytes.length);
            }
        }
        int start = 0;
        while (start < bytes.length && start < 4 && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }
}
