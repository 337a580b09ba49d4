package io.batchgate.runner.logs.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PutLogEvents' limits, applied while a batch is built: at most 10,000 events and 1,048,576 bytes
 * counting 26 bytes per event, each event at most 262,144 bytes with its 26 (longer lines are cut,
 * and say so), non-empty messages (an empty line is sent as one space), timestamps never going
 * backwards within the batch and spanning at most 24 hours.
 */
final class LogBatch {

    static final int MAX_EVENTS = 10_000;
    static final int MAX_BYTES = 1_048_576;
    static final int OVERHEAD = 26;
    static final int MAX_EVENT_BYTES = 262_144;
    static final String CUT = " …[line cut at 256 KiB]";
    private static final long MAX_SPAN = Duration.ofHours(24).toMillis();

    record Event(long timestamp, String message) {}

    private final List<Event> events = new ArrayList<>();
    private long bytes;
    private long first;
    private long last;

    /** Adds the event if the batch has room for it; false when it must go into the next batch. */
    boolean offer(long timestamp, String line) {
        String message = fit(line);
        long size = message.getBytes(StandardCharsets.UTF_8).length + OVERHEAD;
        if (events.isEmpty()) {
            first = timestamp;
            last = timestamp;
        }
        long at = Math.max(timestamp, last); // a clock stepping back must not break time order
        if (events.size() == MAX_EVENTS || bytes + size > MAX_BYTES || at - first > MAX_SPAN) {
            return false;
        }
        events.add(new Event(at, message));
        bytes += size;
        last = at;
        return true;
    }

    List<Event> events() {
        return events;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    /** A message PutLogEvents accepts: not empty, at most 262,144 bytes with the overhead. */
    static String fit(String line) {
        if (line.isEmpty()) {
            return " ";
        }
        int limit = MAX_EVENT_BYTES - OVERHEAD;
        if (line.length() * 3L <= limit) {
            return line; // surely within the limit, even if every char took 3 bytes
        }
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= limit) {
            return line;
        }
        int budget = limit - CUT.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            kept.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return kept + CUT;
    }
}
