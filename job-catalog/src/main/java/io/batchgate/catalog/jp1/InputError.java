package io.batchgate.catalog.jp1;

/** A problem in the JP1 input itself (syntax, or a value {@code ajsdefine} would refuse), at {@code file:line:column}. */
public record InputError(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
