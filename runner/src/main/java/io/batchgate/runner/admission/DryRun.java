package io.batchgate.runner.admission;

import java.util.List;
import java.util.Map;

/**
 * What a request would launch, without storing or queueing anything: the runtime, the bound
 * parameters (secrets masked), the launch request as the runtime would send it (JSON-shaped,
 * secrets masked), and warnings that accepting skips (such as a log that will be incomplete).
 */
public record DryRun(
        String job, String runtime, Map<String, String> params, Map<String, Object> launch, List<String> warnings)
        implements Previewed {}
