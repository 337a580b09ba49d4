package io.batchgate.gateway.wait;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What long-polling waiters wait for — job runs or net runs — as the waiters' tick reads it: which
 * ones ended since a time (one indexed query), which of some ended, and loading them.
 *
 * @param <K> the id
 * @param <V> the thing itself, as the answer shows it
 */
interface Awaited<K, V> {

    K id(V value);

    boolean isFinal(V value);

    Optional<V> find(K id);

    /** Those with these ids that exist, in no particular order. */
    List<V> findAll(Collection<K> ids);

    /** Those that became final at or after {@code since}, the earliest first, at most {@code limit}. */
    List<K> finishedSince(Instant since, int limit);

    /** Those of these that are final. */
    List<K> finishedAmong(Collection<K> ids);
}
