package io.batchgate.catalog.jp1;

/**
 * One {@code key=value;} of a unit definition.
 *
 * @param raw the value as written, quotes and {@code #} escapes included (see {@link AjsValues})
 * @param line the line of the key
 * @param column the column of the key
 * @param valueColumn the column where the value starts
 */
public record UnitParam(String key, String raw, int line, int column, int valueColumn) {

    /** The value with its quotes removed and escapes resolved when it is one quoted string, else as written. */
    public String text() {
        return AjsValues.unquote(raw);
    }
}
