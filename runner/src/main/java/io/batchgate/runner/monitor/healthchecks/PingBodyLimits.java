package io.batchgate.runner.monitor.healthchecks;

import java.net.URI;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many body bytes each Healthchecks server keeps, as its {@code Ping-Body-Limit} response
 * header last said (10,000 on a self-hosted default, 100,000 on the hosted service); a server not
 * heard from yet gets the configured default.
 */
final class PingBodyLimits {

    /** Servers are few (one per Healthchecks site); this only guards against a catalog of odd URLs. */
    private static final int MAX_SERVERS = 1000;

    private final int defaultLimit;
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();

    PingBodyLimits(int defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    int of(URI url) {
        return limits.getOrDefault(server(url), defaultLimit);
    }

    void heard(URI url, OptionalInt limit) {
        if (limit.isPresent()
                && limit.getAsInt() >= 0
                && (limits.size() < MAX_SERVERS || limits.containsKey(server(url)))) {
            limits.put(server(url), limit.getAsInt());
        }
    }

    static OptionalInt parse(String header) {
        try {
            return OptionalInt.of(Integer.parseInt(header.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String server(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }
}
