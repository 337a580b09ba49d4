/**
 * The run a thread works on, in SLF4J's MDC ({@code runId}, {@code job}, {@code attempt}): every log
 * line written meanwhile carries them, as fields of the JSON formats ({@code
 * logging.structured.format.console=ecs|logstash}).
 */
@NullMarked
package io.batchgate.runner.logcontext;

import org.jspecify.annotations.NullMarked;
