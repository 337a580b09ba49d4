package io.batchgate.gateway.fault;

import io.batchgate.gateway.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** What the fault tests check after the fault: which runs ended, and how often each attempt ran. */
final class FaultRuns {

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

    private FaultRuns() {}

    /** Polls until every run is final or the time is up; returns the final ones, by id. */
    static Map<String, JsonNode> awaitFinal(ApiClient api, Collection<String> runIds, Duration timeout)
            throws InterruptedException {
        Map<String, JsonNode> finals = new TreeMap<>();
        long began = System.nanoTime();
        while (finals.size() < runIds.size() && System.nanoTime() - began < timeout.toNanos()) {
            for (String id : List.copyOf(runIds)) {
                if (!finals.containsKey(id)) {
                    JsonNode run = api.run(id);
                    if (FINAL.contains(run.get("status").asString())) {
                        finals.put(id, run);
                    }
                }
            }
            Thread.sleep(500);
        }
        return finals;
    }

    /** How many times each "run attempt" line appears in the ledger the jobs append to. */
    static Map<String, Long> ledgerCounts(Path ledger) throws IOException {
        return Files.readAllLines(ledger).stream()
                .filter(line -> !line.isBlank())
                .collect(Collectors.groupingBy(line -> line, TreeMap::new, Collectors.counting()));
    }
}
