package io.batchgate.gateway.auth;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refused callers configuration (a token under 12 characters, no token at all, …) into
 * Spring Boot's short start-up failure report instead of a hundred lines of bean-creation stack
 * trace: what is wrong, and what to set.
 */
class CallersFailureAnalyzer extends AbstractFailureAnalyzer<CallersMisconfiguredException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CallersMisconfiguredException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Give every caller a token of at least " + CallerConfigs.MIN_TOKEN_LENGTH
                        + " characters (BATCHGATE_TOKEN for the embedded default), or its SHA-256 as"
                        + " token-sha256; see \"Callers, scopes and audit\" in the README.",
                cause);
    }
}
