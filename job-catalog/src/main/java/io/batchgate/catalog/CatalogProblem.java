package io.batchgate.catalog;

import java.util.Objects;

/**
 * One error or warning found while loading a catalog.
 *
 * @param file the file name relative to the catalog directory (the directory itself for directory-level problems)
 * @param line the 1-based line of the offending key or value; 0 when the problem concerns no line (an empty directory)
 * @param field a dotted path such as {@code jobs.hello.params.GREETING.maxLength}
 */
public record CatalogProblem(String file, int line, String field, String message) {

    public CatalogProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative: " + line);
        }
    }

    /** {@code file:line: field: message}, the form editors and CI logs link to. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + field + ": " + message;
    }
}
