package io.batchgate.gateway.auth;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * API callers. Each token belongs to a named caller, recorded as the run's {@code requestedBy}.
 *
 * @param tokens the callers and their tokens (tokens of at least 16 characters)
 */
@ConfigurationProperties("batchgate.auth")
@Validated
public record AuthProperties(@DefaultValue List<Caller> tokens) {

    public AuthProperties {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("batchgate.auth.tokens: no API token is configured; batchgate refuses"
                    + " to start without one (set BATCHGATE_TOKEN, at least 12 characters)");
        }
        for (Caller caller : tokens) {
            if (caller.name() == null || !caller.name().matches("[A-Za-z0-9._@-]{1,100}")) {
                throw new IllegalArgumentException("batchgate.auth.tokens: caller name must be 1-100 of"
                        + " [A-Za-z0-9._@-], was '" + caller.name() + "'");
            }
            if (caller.token() == null || caller.token().length() < 12) {
                throw new IllegalArgumentException(
                        "batchgate.auth.tokens: the token of '" + caller.name() + "' must have at least 12 characters");
            }
        }
    }

    public record Caller(String name, String token) {
        @Override
        public String toString() {
            return "Caller[" + name + ", token=******]";
        }
    }
}
