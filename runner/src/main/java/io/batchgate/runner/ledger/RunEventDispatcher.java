package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;
import io.batchgate.runner.run.RunEventListener.Delivery;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Hands the events of a stored run to the {@link RunEventListener}s once the storing transaction
 * is decided: {@link Delivery#BEFORE_COMMIT} listeners just before it commits (still inside it),
 * {@link Delivery#AFTER_COMMIT} ones after. A transaction that rolls back — including a try that
 * {@link LockConflictRetryingTransactions} runs again — tells no one; the run is loaded again in
 * the next try and records its events anew. Without a transaction the events are stored already
 * and are handed over at once.
 */
public final class RunEventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(RunEventDispatcher.class);

    private final List<RunEventListener> listeners;

    public RunEventDispatcher(List<RunEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Tells no one: for ledgers whose runs nobody follows (tests, tools). */
    public static RunEventDispatcher none() {
        return new RunEventDispatcher(List.of());
    }

    void dispatch(List<RunEvent> events) {
        if (events.isEmpty() || listeners.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            deliver(Delivery.BEFORE_COMMIT, events);
            deliver(Delivery.AFTER_COMMIT, events);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                deliver(Delivery.BEFORE_COMMIT, events);
            }

            @Override
            public void afterCommit() {
                deliver(Delivery.AFTER_COMMIT, events);
            }
        });
    }

    private void deliver(Delivery delivery, List<RunEvent> events) {
        for (RunEventListener listener : listeners) {
            if (listener.delivery() != delivery) {
                continue;
            }
            for (RunEvent event : events) {
                try {
                    listener.on(event);
                } catch (RuntimeException e) {
                    // a listener must never undo or fail the run's transition
                    log.warn(
                            "run event {} of run {} not handled: {}",
                            event.getClass().getSimpleName(),
                            event.runId(),
                            e.toString());
                }
            }
        }
    }
}
