package io.batchgate.runner.ledger;

import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.util.List;
import java.util.Optional;

/** One page of history, newest first, and where the next page starts. */
public record RunPage(List<Run> runs, Optional<RunId> nextCursor) {}
