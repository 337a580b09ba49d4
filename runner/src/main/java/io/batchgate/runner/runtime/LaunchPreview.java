package io.batchgate.runner.runtime;

import java.util.List;
import java.util.Map;

/**
 * A launch as a runtime would perform it: the request (JSON-shaped, secrets masked) and the
 * problems that would make the runtime refuse it, found before anything is queued.
 */
public record LaunchPreview(String runtime, Map<String, Object> request, List<String> problems) {

    public LaunchPreview {
        request = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(request));
        problems = List.copyOf(problems);
    }
}
