package io.batchgate.runner.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns start-up's giving up on the database or the queue into Spring Boot's short failure
 * report: what did not answer, for how long, and what to do, instead of a bean-creation trace.
 */
class StartupGaveUpFailureAnalyzer extends AbstractFailureAnalyzer<StartupGaveUp> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupGaveUp cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Check that it runs and is reachable from here (address, port, firewall or security"
                        + " group, credentials), or let start-up wait longer with"
                        + " batchgate.startup.wait-limit (see \"Things to note\" in the README).",
                cause);
    }
}
