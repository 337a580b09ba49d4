package io.batchgate.catalog;

/** An inclusive range of exit codes, {@code from} to {@code to}; a single code is a range of one. */
public record ExitCodeRange(int from, int to) {

    public ExitCodeRange {
        if (from < 0 || to > 255 || from > to) {
            throw new IllegalArgumentException(
                    "exit code range must be within 0 to 255 with from <= to, found " + from + "-" + to);
        }
    }

    public static ExitCodeRange of(int code) {
        return new ExitCodeRange(code, code);
    }

    public boolean contains(int code) {
        return code >= from && code <= to;
    }

    /** {@code 75} or {@code 100-110}, as written in the catalog. */
    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
