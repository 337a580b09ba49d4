package io.batchgate.gateway.wait;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Parks long-polling requests without a thread each, and answers them when their run is final.
 * Whatever the number of waiters, one query per tick finds the runs that finished since the last
 * tick (on any replica: the database is the only thing replicas share), and only those runs are
 * loaded. A waiter whose wait ends first is answered with the run as it is then.
 *
 * <p>Waiting also renews cancel-on-abandon leases: every status read of a run marks it seen, and
 * parked waiters keep their runs' leases alive, in batches.
 */
public class RunWaiters {

    private static final int FINISHED_PER_TICK = 5_000;
    private static final int RECHECK_BATCH = 500;

    private final RunLedger ledger;
    private final WaiterLeases leases;
    private final WaitProperties properties;
    private final Clock clock;
    private final Map<RunId, Set<Waiter<?>>> waiting = new ConcurrentHashMap<>();
    private final Set<RunId> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private Instant lastTick;
    private Instant lastRecheck;
    private Instant lastRenewal;

    public RunWaiters(RunLedger ledger, WaiterLeases leases, WaitProperties properties, Clock clock) {
        this.ledger = ledger;
        this.leases = leases;
        this.properties = properties;
        this.clock = clock;
        this.lastTick = clock.instant();
        this.lastRecheck = lastTick;
        this.lastRenewal = lastTick;
    }

    /** The wait a request gets for the seconds it asked: at most {@link WaitProperties#max()}. */
    public Duration bounded(long seconds) {
        Duration asked = Duration.ofSeconds(Math.max(0, seconds));
        return asked.compareTo(properties.max()) > 0 ? properties.max() : asked;
    }

    /**
     * Answers with {@code whenFinal} once the run is final (at once if it already is), or with
     * {@code whenWaitEnds} and the run as it is then after {@code wait}.
     */
    public <T> DeferredResult<T> await(
            Run run, Duration wait, Function<Run, T> whenFinal, Function<Run, T> whenWaitEnds) {
        seen(run.id());
        DeferredResult<T> result = new DeferredResult<>(Math.max(1, wait.toMillis()));
        if (run.status().isFinal() || wait.isZero() || closing) {
            result.setResult(run.status().isFinal() ? whenFinal.apply(run) : whenWaitEnds.apply(run));
            return result;
        }
        Waiter<T> waiter = new Waiter<>(result, whenFinal, whenWaitEnds);
        // compute, not computeIfAbsent().add(): forget() may drop an emptied set at the same time
        waiting.compute(run.id(), (id, waiters) -> {
            Set<Waiter<?>> set = waiters != null ? waiters : ConcurrentHashMap.newKeySet();
            set.add(waiter);
            return set;
        });
        result.onTimeout(() -> {
            Run now = ledger.find(run.id()).orElse(run);
            result.setResult(now.status().isFinal() ? whenFinal.apply(now) : whenWaitEnds.apply(now));
        });
        result.onCompletion(() -> forget(run.id(), waiter));
        result.onError(error -> forget(run.id(), waiter));
        return result;
    }

    /**
     * The shortest cancel-on-abandon lease that parked waiters keep alive for sure: they renew it
     * every {@code leaseRenewal}, so a lease must outlast a few renewals and a sweep.
     */
    public Duration shortestAbandonLease() {
        return properties.leaseRenewal().multipliedBy(3);
    }

    /** Marks a run as polled: its cancel-on-abandon lease, if any, is renewed on the next tick. */
    public void seen(RunId runId) {
        seen.add(runId);
    }

    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** One tick: answer the waiters of runs that finished, renew leases. */
    public void tick() {
        Instant now = clock.instant();
        Instant since = lastTick.minus(properties.lookback());
        lastTick = now;
        if (!waiting.isEmpty()) {
            List<RunId> finished = ledger.finishedSince(since, FINISHED_PER_TICK);
            Set<RunId> candidates = new HashSet<>();
            for (RunId id : finished) {
                if (waiting.containsKey(id)) {
                    candidates.add(id);
                }
            }
            boolean recheckDue = !now.isBefore(lastRecheck.plus(properties.recheck()));
            if (recheckDue || finished.size() == FINISHED_PER_TICK) {
                lastRecheck = now;
                List<RunId> all = new ArrayList<>(waiting.keySet());
                for (int from = 0; from < all.size(); from += RECHECK_BATCH) {
                    candidates.addAll(
                            ledger.finishedAmong(all.subList(from, Math.min(all.size(), from + RECHECK_BATCH))));
                }
            }
            if (!candidates.isEmpty()) {
                answer(candidates);
            }
        }
        renewLeases(now);
    }

    private void answer(Set<RunId> candidates) {
        List<RunId> ids = new ArrayList<>(candidates);
        for (int from = 0; from < ids.size(); from += RECHECK_BATCH) {
            for (Run run : ledger.findAll(ids.subList(from, Math.min(ids.size(), from + RECHECK_BATCH)))) {
                if (!run.status().isFinal()) {
                    continue;
                }
                Set<Waiter<?>> waiters = waiting.remove(run.id());
                if (waiters != null) {
                    waiters.forEach(waiter -> waiter.answer(run));
                }
            }
        }
    }

    private void renewLeases(Instant now) {
        Set<RunId> renew = new HashSet<>(seen);
        seen.removeAll(renew);
        if (!now.isBefore(lastRenewal.plus(properties.leaseRenewal()))) {
            lastRenewal = now;
            renew.addAll(waiting.keySet());
        }
        if (!renew.isEmpty()) {
            leases.renew(renew, now);
        }
    }

    private void forget(RunId runId, Waiter<?> waiter) {
        waiting.computeIfPresent(runId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    private record Waiter<T>(DeferredResult<T> result, Function<Run, T> whenFinal, Function<Run, T> whenWaitEnds) {
        void answer(Run run) {
            result.setResult(whenFinal.apply(run));
        }

        void release(Run run) {
            result.setResult(run.status().isFinal() ? whenFinal.apply(run) : whenWaitEnds.apply(run));
        }
    }

    /**
     * Answers every parked waiter now with its run as it is (202 unless final). Called when the
     * gateway shuts down, so that a rolling deploy does not hold long polls until its graceful
     * shutdown times out: the clients poll again, and reach another replica or this one restarted.
     */
    /** (Re)opens for waiters: at start, and when a stopped context is started again. */
    public void open() {
        closing = false;
    }

    public void releaseAll() {
        closing = true; // requests arriving during the graceful shutdown are answered at once
        List<RunId> ids = new ArrayList<>(waiting.keySet());
        for (int from = 0; from < ids.size(); from += RECHECK_BATCH) {
            for (Run run : ledger.findAll(ids.subList(from, Math.min(ids.size(), from + RECHECK_BATCH)))) {
                Set<Waiter<?>> waiters = waiting.remove(run.id());
                if (waiters != null) {
                    waiters.forEach(waiter -> waiter.release(run));
                }
            }
        }
    }
}
