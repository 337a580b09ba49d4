package io.batchgate.runner.logs;

import java.util.List;

/** Lines read from a log (without line ends) and the cursor to continue from. */
public record LogPage(List<String> lines, String next) {

    public LogPage {
        lines = List.copyOf(lines);
    }

    public static LogPage empty(String cursor) {
        return new LogPage(List.of(), cursor);
    }
}
