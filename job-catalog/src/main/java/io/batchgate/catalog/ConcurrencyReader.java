package io.batchgate.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads a job's {@code concurrency} section. */
final class ConcurrencyReader {

    static final List<String> KEYS = List.of("overlap", "maxQueued", "maxConcurrent");
    static final List<String> OVERLAPS =
            Arrays.stream(Overlap.values()).map(Overlap::id).toList();

    private ConcurrencyReader() {}

    static Optional<ConcurrencyPolicy> read(MappingReader concurrency) {
        Problems problems = concurrency.problems();
        int before = problems.errorCount();
        Optional<Overlap> read = concurrency.oneOf("overlap", OVERLAPS).flatMap(Overlap::fromId);
        Overlap overlap = read.orElse(Overlap.ALLOW);
        Optional<Integer> maxQueued = concurrency.integer("maxQueued", 1, ConcurrencyPolicy.MAX_LIMIT);
        Optional<Integer> maxConcurrent = concurrency.integer("maxConcurrent", 1, ConcurrencyPolicy.MAX_LIMIT);
        boolean overlapKnown = read.isPresent() || !concurrency.has("overlap");
        if (overlapKnown && concurrency.has("maxQueued") && overlap != Overlap.QUEUE) {
            concurrency.error("maxQueued", "only allowed with overlap queue");
        }
        maxConcurrent.ifPresent(max -> {
            if (max != 1 && (overlap == Overlap.FORBID || overlap == Overlap.REPLACE)) {
                concurrency.error(
                        "maxConcurrent",
                        "must be 1 with overlap " + overlap.id() + " (one run at a time), found integer " + max);
            }
        });
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(
                new ConcurrencyPolicy(overlap, maxQueued.orElse(ConcurrencyPolicy.DEFAULT_MAX_QUEUED), maxConcurrent));
    }
}
