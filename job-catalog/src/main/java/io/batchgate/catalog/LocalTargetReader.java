package io.batchgate.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a job's {@code local} section. */
final class LocalTargetReader {

    static final List<String> KEYS = List.of("command", "workingDir", "env");

    private LocalTargetReader() {}

    static Optional<LocalTarget> read(MappingReader local, Set<String> paramNames) {
        int before = local.problems().errorCount();
        Optional<List<String>> command = local.strings("command", true);
        if (!local.has("command")) {
            local.missing("command");
        }
        Optional<String> workingDir = local.string("workingDir");
        Optional<Map<String, String>> env = FixedEnvReader.read(local, paramNames);
        if (local.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new LocalTarget(command.orElseThrow(), workingDir, env.orElseThrow()));
    }
}
