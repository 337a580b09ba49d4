package io.batchgate.runner.runtime.local;

import io.batchgate.runner.logs.LocalOutputFiles;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.runtime.AttemptRef;
import java.nio.file.Path;

/**
 * Where the local runtime keeps each attempt's files under the data directory:
 * {@code runs/<run id>/attempt-<n>/} with {@code pid}, {@code output.log} and {@code exit-code}.
 */
public final class AttemptDirectories implements LocalOutputFiles {

    static final String PID = "pid";
    /**
     * Prefix of the markers created exclusively before a process is spawned ({@code launched.1},
     * {@code launched.2} for a take-over): an attempt is started at most once per marker.
     */
    static final String LAUNCHED = "launched.";

    /** Left by the wrapper when a stop reached it, so a job it was just starting is not started. */
    static final String STOP_REQUESTED = "stop-requested";

    static final String OUTPUT = "output.log";
    static final String EXIT_CODE = "exit-code";

    private final Path root;

    public AttemptDirectories(Path dataDirectory) {
        this.root = dataDirectory.resolve("runs").toAbsolutePath().normalize();
    }

    public Path directory(AttemptRef attempt) {
        return root.resolve(attempt.runId().value()).resolve("attempt-" + attempt.attempt());
    }

    @Override
    public Path output(RunId runId, int attempt) {
        return directory(new AttemptRef(runId, attempt)).resolve(OUTPUT);
    }
}
