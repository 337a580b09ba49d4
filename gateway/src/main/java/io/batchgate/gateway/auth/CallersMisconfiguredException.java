package io.batchgate.gateway.auth;

import java.util.List;

/** The configured API callers cannot be used; each mistake is named. Refuses the start-up. */
class CallersMisconfiguredException extends IllegalArgumentException {

    private final List<String> problems;

    CallersMisconfiguredException(String summary, List<String> problems) {
        super(problems.isEmpty() ? summary : summary + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
