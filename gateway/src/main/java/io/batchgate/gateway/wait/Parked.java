package io.batchgate.gateway.wait;

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
 * The parked waiters of one kind of thing (job runs, net runs), without a thread each: a tick finds
 * with one query which of them ended since the previous tick and loads only those. {@link
 * RunWaiters} owns the tick, the bounds and the lifecycle for every kind.
 */
final class Parked<K, V> {

    private static final int FINISHED_PER_TICK = 5_000;
    private static final int BATCH = 500;

    private final Awaited<K, V> source;
    private final Duration recheck;
    private final Map<K, Set<Waiter<V, ?>>> waiting = new ConcurrentHashMap<>();
    private Instant lastRecheck;

    Parked(Awaited<K, V> source, Duration recheck, Instant now) {
        this.source = source;
        this.recheck = recheck;
        this.lastRecheck = now;
    }

    /**
     * Answers with {@code whenFinal} once the thing is final (at once if it already is, or if
     * {@code now}), or with {@code whenWaitEnds} and the thing as it is then after {@code wait}.
     */
    <T> DeferredResult<T> await(
            V value, Duration wait, boolean now, Function<V, T> whenFinal, Function<V, T> whenWaitEnds) {
        DeferredResult<T> result = new DeferredResult<>(Math.max(1, wait.toMillis()));
        if (source.isFinal(value) || wait.isZero() || now) {
            result.setResult(source.isFinal(value) ? whenFinal.apply(value) : whenWaitEnds.apply(value));
            return result;
        }
        K id = source.id(value);
        Waiter<V, T> waiter = new Waiter<>(result, whenFinal, whenWaitEnds);
        // compute, not computeIfAbsent().add(): forget() may drop an emptied set at the same time
        waiting.compute(id, (key, waiters) -> {
            Set<Waiter<V, ?>> set = waiters != null ? waiters : ConcurrentHashMap.newKeySet();
            set.add(waiter);
            return set;
        });
        result.onTimeout(() -> {
            V current = source.find(id).orElse(value);
            result.setResult(source.isFinal(current) ? whenFinal.apply(current) : whenWaitEnds.apply(current));
        });
        result.onCompletion(() -> forget(id, waiter));
        result.onError(error -> forget(id, waiter));
        return result;
    }

    int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    Set<K> waited() {
        return waiting.keySet();
    }

    /** Answers the waiters of what ended since {@code since}; now and then rechecks all directly. */
    void tick(Instant now, Instant since) {
        if (waiting.isEmpty()) {
            return;
        }
        List<K> finished = source.finishedSince(since, FINISHED_PER_TICK);
        Set<K> candidates = new HashSet<>();
        for (K id : finished) {
            if (waiting.containsKey(id)) {
                candidates.add(id);
            }
        }
        boolean recheckDue = !now.isBefore(lastRecheck.plus(recheck));
        if (recheckDue || finished.size() == FINISHED_PER_TICK) {
            lastRecheck = now;
            List<K> all = new ArrayList<>(waiting.keySet());
            for (int from = 0; from < all.size(); from += BATCH) {
                candidates.addAll(source.finishedAmong(all.subList(from, Math.min(all.size(), from + BATCH))));
            }
        }
        if (!candidates.isEmpty()) {
            answer(candidates);
        }
    }

    private void answer(Set<K> candidates) {
        List<K> ids = new ArrayList<>(candidates);
        for (int from = 0; from < ids.size(); from += BATCH) {
            for (V value : source.findAll(ids.subList(from, Math.min(ids.size(), from + BATCH)))) {
                if (!source.isFinal(value)) {
                    continue;
                }
                Set<Waiter<V, ?>> waiters = waiting.remove(source.id(value));
                if (waiters != null) {
                    waiters.forEach(waiter -> waiter.answer(value));
                }
            }
        }
    }

    /** Answers every parked waiter now with its thing as it is. */
    void releaseAll() {
        List<K> ids = new ArrayList<>(waiting.keySet());
        for (int from = 0; from < ids.size(); from += BATCH) {
            for (V value : source.findAll(ids.subList(from, Math.min(ids.size(), from + BATCH)))) {
                Set<Waiter<V, ?>> waiters = waiting.remove(source.id(value));
                if (waiters != null) {
                    waiters.forEach(waiter -> waiter.release(value, source.isFinal(value)));
                }
            }
        }
    }

    private void forget(K id, Waiter<V, ?> waiter) {
        waiting.computeIfPresent(id, (key, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    private record Waiter<V, T>(DeferredResult<T> result, Function<V, T> whenFinal, Function<V, T> whenWaitEnds) {
        void answer(V value) {
            result.setResult(whenFinal.apply(value));
        }

        void release(V value, boolean isFinal) {
            result.setResult(isFinal ? whenFinal.apply(value) : whenWaitEnds.apply(value));
        }
    }
}
