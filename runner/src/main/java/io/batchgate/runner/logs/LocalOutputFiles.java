package io.batchgate.runner.logs;

import io.batchgate.runner.run.RunId;
import java.nio.file.Path;

/**
 * Where an attempt of the local runtime writes its output. The runtime owns the layout and
 * implements this; logs only reads, so logs does not depend on the runtime that writes.
 */
public interface LocalOutputFiles {

    Path output(RunId runId, int attempt);
}
