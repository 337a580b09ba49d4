package io.batchgate.runner.admission;

/**
 * Tells whatever sends the outbox's launch messages that a row was just committed, so it sends
 * now instead of at its next poll. Implemented by the queue adapter; without one nothing needs
 * waking (the outbox is read again on its own schedule).
 */
@FunctionalInterface
public interface OutboxWakeup {

    void wake();
}
