package io.batchgate.runner.logs;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Serves a run's output from the files the local runtime writes: every attempt in order, each
 * introduced by a marker line, so a reader can tell a retry's output from the first try's.
 */
public class LocalLogFiles {

    private final AttemptDirectories directories;

    public LocalLogFiles(AttemptDirectories directories) {
        this.directories = directories;
    }

    /** Copies the run's log to {@code out} as UTF-8 text. */
    public void copy(Run run, OutputStream out) throws IOException {
        for (Attempt attempt : run.attempts()) {
            out.write(marker(attempt).getBytes(StandardCharsets.UTF_8));
            Path file = directories.output(run.id(), attempt.number());
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            } catch (NoSuchFileException e) {
                // an attempt that never started has no output
            }
        }
        out.flush();
    }

    private static String marker(Attempt attempt) {
        return "--- attempt " + attempt.number() + " (" + attempt.runtime() + ") ---\n";
    }
}
