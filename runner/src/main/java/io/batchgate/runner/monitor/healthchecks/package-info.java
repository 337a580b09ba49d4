/**
 * The Healthchecks protocol: pings through a database outbox drained over HTTP, checks
 * provisioned through the Management API v3, and batchgate's own heartbeat.
 */
@NullMarked
package io.batchgate.runner.monitor.healthchecks;

import org.jspecify.annotations.NullMarked;
