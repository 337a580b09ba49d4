/**
 * Heartbeats to an external monitor (a dead-man's switch): the {@link io.batchgate.runner.monitor.Monitor}
 * port, told of every attempt's start, every retry and every run's final outcome by
 * {@link io.batchgate.runner.monitor.RunHeartbeats}, which follows the run's events: they are told just
 * before the transaction that stores the transition commits, and never for one that rolls back. Adapters: {@code healthchecks} (the Healthchecks ping protocol) and
 * {@link io.batchgate.runner.monitor.NoMonitor} (monitoring off).
 */
@NullMarked
package io.batchgate.runner.monitor;

import org.jspecify.annotations.NullMarked;
