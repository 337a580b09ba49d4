/**
 * The job catalog: YAML files that define which jobs batchgate may run, loaded with {@code file:line} errors, validated
 * and versioned. Plain Java: no Spring, no AWS.
 */
@org.jspecify.annotations.NullMarked
package io.batchgate.catalog;
