/**
 * The JP1/AJS3 migration kit: reads {@code ajsprint -a} unit definitions and writes a batchgate catalog plus a report of
 * what could not be moved. Plain Java: no Spring, no AWS.
 */
@org.jspecify.annotations.NullMarked
package io.batchgate.catalog.jp1;
