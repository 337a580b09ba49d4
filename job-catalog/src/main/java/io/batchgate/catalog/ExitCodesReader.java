package io.batchgate.catalog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a job's {@code exitCodes} section. */
final class ExitCodesReader {

    static final List<String> KEYS = List.of("success", "warning");

    private ExitCodesReader() {}

    static Optional<ExitCodePolicy> read(MappingReader exitCodes) {
        int before = exitCodes.problems().errorCount();
        Set<Integer> success = exitCodes.has("success") ? codes(exitCodes, "success", Set.of()) : Set.of(0);
        Set<Integer> warning = exitCodes.has("warning") ? codes(exitCodes, "warning", success) : Set.of();
        if (exitCodes.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new ExitCodePolicy(success, warning));
    }

    private static Set<Integer> codes(MappingReader exitCodes, String key, Set<Integer> taken) {
        Set<Integer> codes = new LinkedHashSet<>();
        // success must not be empty: a job whose every exit is a failure or a warning is a typo.
        exitCodes.sequence(key, key.equals("success")).ifPresent(sequence -> {
            List<LocatedNode> items = sequence.items();
            for (int i = 0; i < items.size(); i++) {
                LocatedNode item = items.get(i);
                String field = exitCodes.field(key) + "[" + i + "]";
                Values.integer(item, field, 0, 255, exitCodes.problems()).ifPresent(code -> {
                    if (taken.contains(code)) {
                        exitCodes
                                .problems()
                                .error(item.line(), field, "exit code " + code + " is also listed in success");
                    }
                    codes.add(code);
                });
            }
        });
        return codes;
    }
}
