/**
 * The meters operators graph per job: runs by outcome, attempt durations, time in the queue,
 * retries and exit codes, fed by the run events after commit ({@link
 * io.batchgate.runner.metrics.RunMetrics}); and the queue's depth and the outbox's age, read from
 * the database by one periodic query ({@link io.batchgate.runner.metrics.WaitingRunsGauges}). The
 * {@code job} tag only takes names of the catalogs in force ({@link io.batchgate.runner.metrics.JobTags}).
 */
@NullMarked
package io.batchgate.runner.metrics;

import org.jspecify.annotations.NullMarked;
