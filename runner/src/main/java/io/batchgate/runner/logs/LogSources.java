package io.batchgate.runner.logs;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.RunId;
import java.util.Optional;

/**
 * Which source holds an attempt's log: its CloudWatch stream when one is recorded (an ECS task's
 * awslogs stream, or the stream a local attempt is forwarded to — unless this machine still has
 * that attempt's file, which is complete by construction), otherwise the local files.
 */
public class LogSources {

    private final LocalLogFiles files;
    private final Optional<LogSource> cloudWatch;

    public LogSources(LocalLogFiles files, Optional<LogSource> cloudWatch) {
        this.files = files;
        this.cloudWatch = cloudWatch;
    }

    LogSource of(RunId runId, Attempt attempt) {
        if (cloudWatch.isPresent()
                && attempt.log().hasStream()
                && !("local".equals(attempt.runtime()) && files.exists(runId, attempt.number()))) {
            return cloudWatch.get();
        }
        return files;
    }
}
