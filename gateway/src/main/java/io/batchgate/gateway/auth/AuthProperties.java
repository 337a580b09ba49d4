package io.batchgate.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API callers. Each token belongs to a named caller with scopes; a caller may have several tokens
 * (that is how a token is rotated: add the new one, move the clients, remove the old one).
 *
 * @param tokens callers from the application's configuration
 * @param callersFile an optional YAML file of callers, re-read when it changes (rotation without a
 *     restart); a file with errors is refused and the callers loaded before stay in force
 * @param reloadInterval how often the callers file is checked for changes
 * @param triggerRate the trigger rate limit of every caller without one of its own
 */
@ConfigurationProperties("batchgate.auth")
public record AuthProperties(
        @DefaultValue List<CallerConfig> tokens,
        @Nullable Path callersFile,
        @DefaultValue("5s") Duration reloadInterval,
        @DefaultValue TriggerRateConfig triggerRate) {

    public AuthProperties {
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException(
                    "batchgate.auth.reload-interval must be positive, was " + reloadInterval);
        }
        // a caller's own trigger-rate is checked with the other callers' problems (CallerConfigs)
        if (!(triggerRate.perSecond() > 0) || triggerRate.burst() < 1) {
            throw new IllegalArgumentException(
                    "batchgate.auth.trigger-rate: per-second must be > 0 and burst >= 1, were "
                            + triggerRate.perSecond() + " and " + triggerRate.burst());
        }
    }

    /**
     * One caller's token: {@code token} in clear (local and test setups) or {@code tokenSha256},
     * the hex SHA-256 of the token, so that configuration never holds a usable secret.
     */
    public record CallerConfig(
            String name,
            @Nullable String token,
            @Nullable String tokenSha256,
            @Nullable List<String> scopes,
            @Nullable TriggerRateConfig triggerRate) {

        @Override
        public String toString() {
            return "CallerConfig[" + name + ", token=******, scopes=" + scopes + "]";
        }
    }

    /** Sustained triggers per second and the burst allowed above it, per caller and gateway replica. */
    public record TriggerRateConfig(
            @DefaultValue("20") double perSecond,
            @DefaultValue("200") int burst) {}
}
